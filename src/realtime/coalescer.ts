/**
 * Per key, at most one delivery per `intervalMs`: the first goes at once;
 * later ones inside the interval collapse into one trailing delivery of the
 * latest value, so the newest position is never lost, only thinned.
 */
export class Coalescer<V> {
  private readonly slots = new Map<string, { last: number; pending: V | undefined; timer: NodeJS.Timeout | undefined }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, value: V) => void,
  ) {
    // Idle keys are forgotten so memory follows the active drivers, not every driver ever seen.
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, intervalMs * 10)).unref();
  }

  push(key: string, value: V): void {
    if (this.intervalMs <= 0) return this.send(key, value);
    const now = performance.now();
    const slot = this.slots.get(key);
    if (!slot) {
      this.slots.set(key, { last: now, pending: undefined, timer: undefined });
      return this.send(key, value);
    }
    if (slot.timer) {
      slot.pending = value;
      return;
    }
    const wait = slot.last + this.intervalMs - now;
    if (wait <= 0) {
      slot.last = now;
      return this.send(key, value);
    }
    slot.pending = value;
    slot.timer = setTimeout(() => this.fire(key), wait).unref();
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private fire(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const value = slot.pending;
    slot.timer = undefined;
    slot.pending = undefined;
    slot.last = performance.now();
    if (value !== undefined) this.send(key, value);
  }

  private sweep(): void {
    const idleSince = performance.now() - this.intervalMs;
    for (const [key, slot] of this.slots) if (!slot.timer && slot.last < idleSince) this.slots.delete(key);
  }
}
