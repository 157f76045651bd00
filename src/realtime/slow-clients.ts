import type { Counter } from 'prom-client';
import { rooms, type LivegateServer, type LivegateSocket } from './types.ts';

export interface SlowClientLimits {
  /** How often this node looks at its sockets' outbound backlog. */
  intervalMs: number;
  /** Bytes written but not yet taken by the network (ws `bufferedAmount`). */
  maxBufferedBytes: number;
  /** Packets waiting for the transport (Engine.IO write buffer: WebSocket busy, or between long-polls). */
  maxQueuedPackets: number;
}

export const DEFAULT_SLOW_CLIENT_LIMITS: SlowClientLimits = { intervalMs: 500, maxBufferedBytes: 256 * 1024, maxQueuedPackets: 64 };

/** The parts of Engine.IO's socket this reads; they are not in its public types. */
interface EngineInternals {
  writeBuffer?: unknown[];
  transport?: { socket?: { bufferedAmount?: number } };
}

/**
 * Positions are skipped for a client that is behind, instead of queueing
 * behind it — what Socket.IO's `volatile` flag is for. `volatile` itself is
 * not used: it drops every packet sent while the previous write to that
 * socket is still in flight, so an admin watching several drivers lost
 * positions whenever two arrived in the same event-loop turn (about 10 % at
 * 10,000 deliveries/s in `npm run bench:relay`), however fast the client was.
 *
 * Instead every node puts its own sockets whose outbound backlog exceeds the
 * limits into the `slow-clients` room, and takes them out once drained;
 * position emits go `except` that room, which each node applies to its own
 * sockets, so it holds across nodes. A backlog is noticed within
 * `intervalMs`, so a slow client queues at most that long's worth.
 */
export class SlowClients {
  private readonly timer: NodeJS.Timeout;
  private readonly slow = new Set<LivegateSocket>();

  constructor(
    private readonly io: LivegateServer,
    private readonly limits: SlowClientLimits,
    private readonly skipped?: Counter,
  ) {
    this.timer = setInterval(() => this.sweep(), limits.intervalMs).unref();
  }

  /** How many of this node's sockets are currently skipped. */
  get count(): number {
    return this.slow.size;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Public for tests: one look at every local socket. */
  sweep(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      const behind = this.isBehind(socket);
      if (behind && !this.slow.has(socket)) {
        this.slow.add(socket);
        void socket.join(rooms.slowClients);
        this.skipped?.inc();
      } else if (!behind && this.slow.has(socket)) {
        this.slow.delete(socket);
        void socket.leave(rooms.slowClients);
      }
    }
    for (const socket of this.slow) if (!socket.connected) this.slow.delete(socket);
  }

  private isBehind(socket: LivegateSocket): boolean {
    const conn = socket.conn as unknown as EngineInternals;
    const queued = conn.writeBuffer?.length ?? 0;
    const buffered = conn.transport?.socket?.bufferedAmount ?? 0;
    return queued > this.limits.maxQueuedPackets || buffered > this.limits.maxBufferedBytes;
  }
}
