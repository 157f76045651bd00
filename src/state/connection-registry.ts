import type { SocketRole } from '../protocol/roles.ts';

export interface ConnectionInfo {
  socketId: string;
  userId: string;
  userRole: SocketRole;
  connectedAt: string;
  transport: 'polling' | 'websocket';
  nodeId: string;
}

/**
 * Who is connected where. The in-process registry covers one node; the Redis
 * registry covers the cluster and expires entries of nodes that died.
 */
export interface ConnectionRegistry {
  add(info: ConnectionInfo): Promise<void>;
  remove(info: Pick<ConnectionInfo, 'socketId' | 'userId'>): Promise<void>;
  setTransport(socketId: string, transport: ConnectionInfo['transport']): Promise<void>;
  get(socketId: string): Promise<ConnectionInfo | undefined>;
  /** A user's connections, oldest first. */
  listForUser(userId: string): Promise<ConnectionInfo[]>;
  list(): Promise<ConnectionInfo[]>;
  count(): Promise<number>;
  isOnline(userId: string): Promise<boolean>;
  close(): Promise<void>;
}

const byAge = (a: ConnectionInfo, b: ConnectionInfo) => a.connectedAt.localeCompare(b.connectedAt) || a.socketId.localeCompare(b.socketId);

export class MemoryConnectionRegistry implements ConnectionRegistry {
  private readonly sockets = new Map<string, ConnectionInfo>();
  private readonly byUser = new Map<string, Set<string>>();

  async add(info: ConnectionInfo): Promise<void> {
    this.sockets.set(info.socketId, info);
    let set = this.byUser.get(info.userId);
    if (!set) this.byUser.set(info.userId, (set = new Set()));
    set.add(info.socketId);
  }

  async remove({ socketId, userId }: Pick<ConnectionInfo, 'socketId' | 'userId'>): Promise<void> {
    this.sockets.delete(socketId);
    const set = this.byUser.get(userId);
    set?.delete(socketId);
    if (set?.size === 0) this.byUser.delete(userId);
  }

  async setTransport(socketId: string, transport: ConnectionInfo['transport']): Promise<void> {
    const info = this.sockets.get(socketId);
    if (info) info.transport = transport;
  }

  async get(socketId: string): Promise<ConnectionInfo | undefined> {
    return this.sockets.get(socketId);
  }

  async listForUser(userId: string): Promise<ConnectionInfo[]> {
    const ids = this.byUser.get(userId);
    if (!ids) return [];
    return [...ids].map((id) => this.sockets.get(id)).filter((x): x is ConnectionInfo => !!x).sort(byAge);
  }

  async list(): Promise<ConnectionInfo[]> {
    return [...this.sockets.values()];
  }

  async count(): Promise<number> {
    return this.sockets.size;
  }

  async isOnline(userId: string): Promise<boolean> {
    return this.byUser.has(userId);
  }

  async close(): Promise<void> {
    this.sockets.clear();
    this.byUser.clear();
  }
}
