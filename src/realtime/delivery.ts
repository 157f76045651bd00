import type { Metrics } from '../observability/metrics.ts';
import { currentReplyScope } from './reply-scope.ts';
import { rooms, type LivegateServer, type OutArgs, type OutEvent } from './types.ts';

/**
 * The one place server→client emits leave the gateway. Domain projections call
 * it with rooms; the Socket.IO adapter (in-memory or Redis) carries the emit
 * to every node. Many rooms go out as one emit.
 */
export class Delivery {
  constructor(
    private readonly io: LivegateServer,
    private readonly metrics: Metrics,
  ) {}

  to<E extends OutEvent>(target: string | readonly string[], event: E, ...args: OutArgs<E>): void {
    if (Array.isArray(target) && target.length === 0) return;
    const scope = currentReplyScope();
    if (!scope) return this.send(this.io.to(target as string | string[]), event, args);
    // An answer to the sender goes out before what its event caused (reply-scope.ts).
    const skipSender = scope.excludesSender(event);
    scope.hold(() => {
      const op = this.io.to(target as string | string[]);
      this.send(skipSender ? op.except(scope.socketId) : op, event, args);
    });
  }

  /**
   * Skipped rather than queued for a client that is behind (positions): see
   * slow-clients.ts for why this is not Socket.IO's `volatile` flag.
   */
  volatileTo<E extends OutEvent>(target: string | readonly string[], event: E, ...args: OutArgs<E>): void {
    if (Array.isArray(target) && target.length === 0) return;
    const emit = () => this.send(this.io.to(target as string | string[]).except(rooms.slowClients), event, args);
    const scope = currentReplyScope();
    if (scope) scope.hold(emit);
    else emit();
  }

  toAll<E extends OutEvent>(event: E, ...args: OutArgs<E>): void {
    const emit = () => this.send(this.io, event, args);
    const scope = currentReplyScope();
    if (scope) scope.hold(emit);
    else emit();
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

  /** Disconnects every socket in the rooms, on every node. */
  disconnect(target: string | readonly string[]): void {
    this.io.in(target as string | string[]).disconnectSockets(true);
  }
}
