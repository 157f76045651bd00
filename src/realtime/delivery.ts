import type { Metrics } from '../observability/metrics.ts';
import { ADMIN_NAMESPACE } from './admin-namespace.ts';
import { OncePerSocket } from './once-per-socket.ts';
import { rooms, type LivegateServer, type OutArgs, type OutEvent } from './types.ts';

/** Where durable emits go when streams are on (src/realtime/streams/durable-delivery.ts). */
export interface DurableSink {
  deliver(userIds: readonly string[], event: string, payload: unknown, watchers: readonly string[]): Promise<void>;
}

/**
 * The one place server→client emits leave the gateway. Domain projections call
 * it with rooms; the Socket.IO adapter (in-memory or Redis) carries the emit
 * to every node. Many rooms go out as one emit.
 */
export class Delivery {
  private sink: DurableSink | undefined;
  /** Events that must reach a connection once however many paths carry them (durable delivery checks it per socket). */
  readonly once = new OncePerSocket();

  constructor(
    private readonly io: LivegateServer,
    private readonly metrics: Metrics,
  ) {}

  /** Turns durable streams on (the streams family, when STREAM_RETENTION_H > 0). */
  useDurable(sink: DurableSink): void {
    this.sink = sink;
  }

  /**
   * To every socket of `userIds`, on every node, stored first in each user's
   * stream so a reconnecting client gets it again (`_seq` added to the
   * payload); `watchers` rooms (an admin watching a trip) get it plain,
   * except the recipients' sockets. Without streams, a plain emit to all of
   * them. Resolves once stored and sent; never rejects.
   */
  durable<E extends OutEvent>(userIds: readonly string[], event: E, payload: OutArgs<E>[0], opts: { watchers?: readonly string[] } = {}): Promise<void> {
    const watchers = opts.watchers ?? [];
    if (userIds.length === 0 && watchers.length === 0) return Promise.resolve();
    if (this.sink && userIds.length > 0) return this.sink.deliver(userIds, event, payload, watchers);
    this.to([...watchers, ...userIds.map(rooms.user)], event, ...([payload] as OutArgs<E>));
    return Promise.resolve();
  }

  to<E extends OutEvent>(target: string | readonly string[], event: E, ...args: OutArgs<E>): void {
    if (Array.isArray(target) && target.length === 0) return;
    this.send(this.io.to(target as string | string[]), event, args);
  }

  /** To `room` but not to any socket of `userId` ("to the others"), on every node. */
  toOthers<E extends OutEvent>(room: string, userId: string, event: E, ...args: OutArgs<E>): void {
    this.send(this.io.to(room).except(rooms.user(userId)), event, args);
  }

  /**
   * Skipped rather than queued for a client that is behind (positions): see
   * slow-clients.ts for why this is not Socket.IO's `volatile` flag.
   */
  volatileTo<E extends OutEvent>(target: string | readonly string[], event: E, ...args: OutArgs<E>): void {
    if (Array.isArray(target) && target.length === 0) return;
    this.send(this.io.to(target as string | string[]).except(rooms.slowClients), event, args);
  }

  toAll<E extends OutEvent>(event: E, ...args: OutArgs<E>): void {
    this.send(this.io, event, args);
  }

  private send<E extends OutEvent>(op: Pick<LivegateServer, 'emit'>, event: E, args: OutArgs<E>): void {
    op.emit(event, ...args);
    this.metrics.eventSent(event);
  }

  /** Each node sends to its own sockets (periodic heartbeats that every node runs). */
  localToAll<E extends OutEvent>(event: E, ...args: OutArgs<E>): void {
    this.io.local.emit(event, ...args);
    this.metrics.eventSent(event);
  }

  disconnectAll(): void {
    this.io.disconnectSockets(true);
  }

  /** Disconnects every socket in the rooms, on every node, in `/` and `/admin` (admin sockets sit in their `user:{id}` room there). */
  disconnect(target: string | readonly string[]): void {
    this.io.in(target as string | string[]).disconnectSockets(true);
    this.io.of(ADMIN_NAMESPACE).in(target as string | string[]).disconnectSockets(true);
  }
}
