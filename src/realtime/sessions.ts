import { ExpiryWheel } from '../auth/expiry-wheel.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { transportName, type ConnectionRegistry } from '../state/connection-registry.ts';
import type { SocketIdentity } from './handshake-auth.ts';
import { rooms, type LivegateServer, type LivegateSocket } from './types.ts';

/** Runs when a socket becomes authenticated (notification counts, pending alerts, booking rooms, …). */
export type SessionHook = (socket: LivegateSocket) => Promise<void> | void;

/** A user's first socket in the registry's scope (the cluster, with Redis) arrived, or their last one closed. */
export type PresenceListener = (change: { userId: string; online: boolean; socket: LivegateSocket }) => void;

export interface SessionDeps {
  io: LivegateServer;
  registry: ConnectionRegistry;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  nodeId: string;
  maxConnectionsPerUser: number;
}

/**
 * The life of a connection: automatic rooms, the connection registry, the
 * per-user cap, token expiry and the `authenticated` answer. Sockets of other
 * namespaces (`/admin`) are followed for expiry and suspension only.
 */
export class Sessions {
  /** Keyed by socket, not id: sockets of every namespace share the wheel. */
  private readonly expiry: ExpiryWheel<LivegateSocket>;
  private readonly hooks: SessionHook[] = [];
  private readonly presence: PresenceListener[] = [];
  /** Disconnect listeners shared by every socket (`this` is the socket): no closure per connection. */
  private readonly closed: (this: LivegateSocket) => void;
  private readonly followedClosed: (this: LivegateSocket) => void;

  constructor(private readonly deps: SessionDeps) {
    this.expiry = new ExpiryWheel(deps.clock, (socket) => this.expire(socket), (socket) => socket.data.expiresAt);
    this.expiry.start();
    const expiry = this.expiry;
    const close = (socket: LivegateSocket) => this.close(socket);
    this.closed = function () {
      close(this);
    };
    this.followedClosed = function () {
      expiry.untrack(this);
    };
  }

  onAuthenticated(hook: SessionHook): void {
    this.hooks.push(hook);
  }

  /** Online/offline as the registry decided it (atomically, cluster-wide); called on the node whose socket caused it. */
  onPresenceChange(listener: PresenceListener): void {
    this.presence.push(listener);
  }

  /** A socket passed the handshake (authenticated or anonymous). */
  open(socket: LivegateSocket): void {
    this.deps.metrics.connectionOpened();
    socket.on('disconnect', this.closed);
    if (socket.data.role !== 'anonymous') void this.authenticate(socket, socket.data);
  }

  /**
   * A socket of another namespace (`/admin`) that passed its handshake: in its
   * namespace's `user:{id}` room, so a suspension disconnects it on every node
   * (delivery.ts), and cut off at `exp` unless refreshed. Not a connection of
   * its own: no registry entry, cap, hooks or `authenticated`.
   */
  follow(socket: LivegateSocket): void {
    socket.join(rooms.user(socket.data.userId));
    this.expiry.track(socket);
    socket.on('disconnect', this.followedClosed);
  }

  /** Makes `socket` the user's: rooms, registry, cap, expiry, `authenticated`. */
  async authenticate(socket: LivegateSocket, identity: SocketIdentity): Promise<void> {
    const { io, registry, nodeId, log } = this.deps;
    // An earlier identity of this socket (the `authenticate` event) leaves the wheel under its own deadline.
    this.expiry.untrack(socket);
    socket.data = { ...identity, connectedAt: socket.data.connectedAt, address: socket.data.address };
    const { userId, role } = identity;
    socket.join([rooms.user(userId), ...(role === 'driver' ? [rooms.drivers] : role === 'admin' ? [rooms.admins] : [])]);
    this.expiry.track(socket);
    // Only a polling connection can upgrade; a WebSocket one would keep this listener for nothing.
    if (socket.conn.transport.name === 'polling') socket.conn.once('upgrade', () => void registry.setTransport(socket.id, 'websocket').catch(() => undefined));
    socket.emit('authenticated', { userId, role, connectionId: socket.id });
    this.deps.metrics.eventSent('authenticated');
    try {
      const { userOnline } = await registry.add({ socketId: socket.id, userId, userRole: role, connectedAt: socket.data.connectedAt, transport: transportName(socket.conn.transport.name), nodeId });
      if (userOnline) this.reportPresence(socket, true);
      if (!socket.connected) {
        const { userOffline } = await registry.remove({ socketId: socket.id, userId });
        return void (userOffline && this.reportPresence(socket, false));
      }
      const mine = await registry.listForUser(userId);
      const excess = mine.length - this.deps.maxConnectionsPerUser;
      if (excess > 0) io.in(mine.slice(0, excess).map((c) => c.socketId)).disconnectSockets(true);
      for (const hook of this.hooks) await hook(socket);
    } catch (err) {
      log.error({ err, userId }, 'session start failed');
    }
  }

  /** A later token for the same user moves the deadline. */
  refresh(socket: LivegateSocket, expiresAt: number): void {
    const previous = socket.data.expiresAt;
    socket.data.expiresAt = expiresAt;
    this.expiry.moved(socket, previous);
  }

  private close(socket: LivegateSocket): void {
    this.deps.metrics.connectionClosed();
    this.expiry.untrack(socket);
    if (socket.data.role === 'anonymous') return;
    this.deps.registry
      .remove({ socketId: socket.id, userId: socket.data.userId })
      .then(({ userOffline }) => userOffline && this.reportPresence(socket, false))
      .catch((err: unknown) => this.deps.log.warn({ err }, 'registry remove failed'));
  }

  private reportPresence(socket: LivegateSocket, online: boolean): void {
    for (const listener of this.presence) {
      try {
        listener({ userId: socket.data.userId, online, socket });
      } catch (err) {
        this.deps.log.error({ err, userId: socket.data.userId }, 'presence listener failed');
      }
    }
  }

  private expire(socket: LivegateSocket): void {
    if (!socket.connected) return;
    socket.emit('auth_error', { code: 'TOKEN_EXPIRED', message: 'Token expired' });
    this.deps.metrics.eventSent('auth_error');
    socket.disconnect(true);
  }

  /** For tests with a manual clock. */
  sweepExpired(): void {
    this.expiry.sweep();
  }

  stop(): void {
    this.expiry.stop();
  }
}
