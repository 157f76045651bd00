/**
 * Answer first, then broadcast — per connection. While an inbound event of a
 * connection is being handled, packets the server writes to that connection
 * (broadcasts that reach it, emits to it) are held; the router writes the
 * answer (ack, failure event or `error`) straight through and then lets the
 * held packets go, in order. So a client always learns the outcome of what
 * it sent before it sees what that caused (Socket.IO's CRUD example answers
 * first, too).
 *
 * A sender that asked for an ack does not also get the broadcasts that
 * repeat it (`answers` in the event's contract, e.g. `trip_request` →
 * `trip_request_sent`): held packets of those events are dropped for this
 * connection. Its other sockets, and a sender without an ack (seed clients
 * listen for the event), still get them.
 *
 * This works at the engine connection, not with AsyncLocalStorage: on
 * Node 20 an active AsyncLocalStorage enables promise hooks for the whole
 * process (measured: a promise-heavy loop ran about 2× slower), a tax on
 * every event for an ordering that concerns one connection. A slow handler
 * (an external payment gateway) holds its connection's packets for at most
 * `MAX_HOLD_MS`; after that they flow again (checked on the next packet, so an
 * idle connection costs no timer).
 */
export const MAX_HOLD_MS = 1_000;

/** The part of an Engine.IO socket the gate needs: every packet Socket.IO sends to a client goes through `write`. */
interface EngineConnection {
  write(data: unknown, options?: unknown, callback?: unknown): unknown;
}

type Held = [data: unknown, options: unknown, callback: unknown];

class ConnectionGate {
  private inFlight = 0;
  private passing = false;
  private released = false;
  private held: Held[] = [];
  private drop: string[] = [];
  private since = 0;
  private readonly write: EngineConnection['write'];

  constructor(conn: EngineConnection) {
    this.write = conn.write.bind(conn);
    conn.write = (data, options, callback) => {
      if (this.inFlight === 0 || this.passing || this.released) return this.write(data, options, callback);
      // A handler past the deadline: what was held goes now, and the rest flows until the connection is idle.
      if (Date.now() - this.since > MAX_HOLD_MS) {
        this.flush(true);
        return this.write(data, options, callback);
      }
      this.held.push([data, options, callback]);
      return conn;
    };
  }

  enter(): void {
    if (this.inFlight++ === 0) this.since = Date.now();
  }

  /** Writes `answer`'s packets through the gate, then lets the held ones go once nothing else is in flight. */
  leave(answer: (() => void) | undefined, repeats: readonly string[]): void {
    this.passing = true;
    try {
      answer?.();
    } finally {
      this.passing = false;
    }
    // Only what is held can be dropped; each event's prefix once, however many answers overlap.
    if (!this.released) for (const event of repeats) {
      const prefix = `2["${event}",`;
      if (!this.drop.includes(prefix)) this.drop.push(prefix);
    }
    if (--this.inFlight === 0) this.flush(false);
  }

  private flush(expired: boolean): void {
    const held = this.held;
    const drop = this.drop;
    this.held = [];
    this.drop = [];
    // Past the deadline, packets flow while the slow handler finishes.
    this.released = expired && this.inFlight > 0;
    for (const [data, options, callback] of held) {
      if (typeof data === 'string' && drop.some((prefix) => data.startsWith(prefix))) continue;
      this.write(data, options, callback);
    }
  }
}

/** A connection's gate: `enter()` when an inbound event is taken in, `leave(answer, repeats)` once it is answered. */
export type ReplyGate = Pick<ConnectionGate, 'enter' | 'leave'>;

const gates = new WeakMap<EngineConnection, ConnectionGate>();

/** The gate of a Socket.IO socket's engine connection, installed on first use. */
export function replyGate(conn: EngineConnection): ConnectionGate {
  let gate = gates.get(conn);
  if (!gate) gates.set(conn, (gate = new ConnectionGate(conn)));
  return gate;
}
