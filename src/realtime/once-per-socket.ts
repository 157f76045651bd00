import type { LivegateSocket } from './types.ts';

/** Keys remembered per connection; the oldest go first (an offer older than this many others has long expired). */
const MAX_KEYS = 256;

/**
 * Events that two paths can send the same connection: an offer made while a
 * driver was signing in reaches the new socket through the driver's durable
 * stream, and the sign-in also shows the driver every offer still waiting
 * (trip-offer-resend.ts). Whichever comes second is dropped for that
 * connection. Deliberate repeats (the sweeper's resend of an unanswered
 * offer) do not pass through here.
 */
export class OncePerSocket {
  private readonly sent = new WeakMap<LivegateSocket, Set<string>>();
  private readonly keys = new Map<string, (payload: unknown) => string>();

  /** `event` reaches a connection at most once per `keyOf(payload)` (a trip offer: once per trip). */
  register<P>(event: string, keyOf: (payload: P) => string): void {
    this.keys.set(event, keyOf as (payload: unknown) => string);
  }

  /** True when `event` may go to `socket`: it has no key, or its key has not gone to this connection yet (now it has). */
  admit(socket: LivegateSocket, event: string, payload: unknown): boolean {
    const keyOf = this.keys.get(event);
    if (keyOf === undefined) return true;
    const key = keyOf(payload);
    let keys = this.sent.get(socket);
    if (!keys) this.sent.set(socket, (keys = new Set()));
    const full = `${event}\u0000${key}`;
    if (keys.has(full)) return false;
    keys.add(full);
    if (keys.size > MAX_KEYS) keys.delete(keys.values().next().value!);
    return true;
  }
}
