import type { SocketRole } from '../protocol/roles.ts';

/** How a connection reaches this node: Socket.IO's two, Server-Sent Events (`GET /events`) and the plain WebSocket (`GET /ws`). */
export const TRANSPORTS = ['polling', 'websocket', 'sse', 'ws'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** A transport name as reported or stored; anything else reads as `polling`, Engine.IO's first transport. */
export function transportName(name: unknown): TransportName {
  return (TRANSPORTS as readonly unknown[]).includes(name) ? (name as TransportName) : 'polling';
}

export interface ConnectionInfo {
  socketId: string;
  userId: string;
  userRole: SocketRole;
  connectedAt: string;
  transport: TransportName;
  nodeId: string;
}

/**
 * A user's presence changed without an add() or remove() saying so: the last
 * socket expired with its node (`online: false`, `lastSeen` = that node's last
 * heartbeat, epoch ms), or the heartbeat published a socket again after its
 * entry was lost (`online: true`).
 */
export interface PresenceTransition {
  userId: string;
  online: boolean;
  lastSeen: number;
}

/**
 * Who is connected where. The in-process registry covers one node; the Redis
 * registry covers the cluster and expires entries of nodes that died.
 *
 * Presence transitions are decided where the state lives, atomically: a user
 * is online from the add() that gave them their first socket to the remove()
 * (or expiry) that took their last, and exactly one of those calls says so,
 * whichever node made it.
 */
export interface ConnectionRegistry {
  /** `userOnline`: this was the user's first socket. */
  add(info: ConnectionInfo): Promise<{ userOnline: boolean }>;
  /** `userOffline`: this was the user's last socket (false when it was already gone, e.g. expired). */
  remove(info: Pick<ConnectionInfo, 'socketId' | 'userId'>): Promise<{ userOffline: boolean }>;
  /** Transitions decided by the registry's own background work (expiry sweeps, heartbeat repairs) on this node. */
  onTransitions(listener: (changes: PresenceTransition[]) => void): void;
  setTransport(socketId: string, transport: ConnectionInfo['transport']): Promise<void>;
  get(socketId: string): Promise<ConnectionInfo | undefined>;
  /** A user's connections, oldest first. */
  listForUser(userId: string): Promise<ConnectionInfo[]>;
  list(): Promise<ConnectionInfo[]>;
  count(): Promise<number>;
  isOnline(userId: string): Promise<boolean>;
  /** The users among `userIds` with a live socket anywhere: one round trip however many are asked. */
  onlineAmong(userIds: readonly string[]): Promise<Set<string>>;
  close(): Promise<void>;
}

const byAge = (a: ConnectionInfo, b: ConnectionInfo) => a.connectedAt.localeCompare(b.connectedAt) || a.socketId.localeCompare(b.socketId);

export class MemoryConnectionRegistry implements ConnectionRegistry {
  private readonly sockets = new Map<string, ConnectionInfo>();
  /** A user's socket ids: the id itself for one socket (most users), a Set from the second on — a Set per user costs more than the entry. */
  private readonly byUser = new Map<string, string | Set<string>>();

  async add(info: ConnectionInfo): Promise<{ userOnline: boolean }> {
    this.sockets.set(info.socketId, info);
    const ids = this.byUser.get(info.userId);
    if (ids === undefined) this.byUser.set(info.userId, info.socketId);
    else if (typeof ids !== 'string') ids.add(info.socketId);
    else if (ids !== info.socketId) this.byUser.set(info.userId, new Set([ids, info.socketId]));
    return { userOnline: ids === undefined };
  }

  async remove({ socketId, userId }: Pick<ConnectionInfo, 'socketId' | 'userId'>): Promise<{ userOffline: boolean }> {
    this.sockets.delete(socketId);
    const ids = this.byUser.get(userId);
    if (ids === socketId) {
      this.byUser.delete(userId);
      return { userOffline: true };
    }
    if (typeof ids !== 'object' || !ids.delete(socketId)) return { userOffline: false };
    if (ids.size === 1) this.byUser.set(userId, ids.values().next().value!);
    return { userOffline: false };
  }

  /** Nothing here expires: every transition is an add() or remove(). */
  onTransitions(): void {}

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
    return (typeof ids === 'string' ? [ids] : [...ids]).map((id) => this.sockets.get(id)).filter((x): x is ConnectionInfo => !!x).sort(byAge);
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

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.byUser.has(id)));
  }

  async close(): Promise<void> {
    this.sockets.clear();
    this.byUser.clear();
  }
}
