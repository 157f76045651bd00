import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Answer first, then broadcast. While an inbound event's handler runs, the
 * emits its domain events cause are held in this scope; the router answers
 * the sender (ack or failure event) and only then lets them go, in order.
 * This is the shape of Socket.IO's own CRUD example: the caller learns the
 * outcome before anyone else is told about it.
 *
 * A sender that asked for an ack does not also get the events that repeat
 * the ack's payload (`answers` in the event's contract, e.g. `trip_request`
 * → `trip_request_sent`): its other sockets, and a sender without an ack
 * (seed clients listen for the event), still do.
 *
 * Work the handler started that emits later (timers, coalesced positions)
 * runs in the same async context after the scope was released and is
 * emitted at once.
 */
export class ReplyScope {
  private held: Array<() => void> | undefined = [];

  constructor(
    /** The sender's socket id. */
    readonly socketId: string,
    /** Events the sender's ack already carries; empty when the sender gave no ack. */
    private readonly answered: ReadonlySet<string>,
  ) {}

  /** True when `event` repeats the ack the sender is getting: leave the sender's socket out. */
  excludesSender(event: string): boolean {
    return this.held !== undefined && this.answered.has(event);
  }

  /** Holds `emit` until release; after release it runs at once. */
  hold(emit: () => void): void {
    if (this.held) this.held.push(emit);
    else emit();
  }

  /** Sends what was held, in order; from now on emits go out at once. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const emit of held ?? []) emit();
  }
}

const storage = new AsyncLocalStorage<ReplyScope>();

/** Runs `fn` with `scope` as the current reply scope. */
export function withReplyScope<T>(scope: ReplyScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The reply scope of the inbound event being handled, if any. */
export function currentReplyScope(): ReplyScope | undefined {
  return storage.getStore();
}
