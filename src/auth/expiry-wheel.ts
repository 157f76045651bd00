import type { Clock } from '../core/clock.ts';

/**
 * Fires a callback when a connection's token expires. One timer for all
 * connections: entries sit in one-second buckets swept once a second, which
 * costs far less memory than a timer per socket. The deadline is read from
 * the key itself (`deadlineOf`, e.g. `socket.data.expiresAt`), so a tracked
 * key costs one Set entry and no second map from key to bucket; a key whose
 * deadline changes is moved with `moved(key, previousDeadline)`.
 */
export class ExpiryWheel<K> {
  private readonly buckets = new Map<number, Set<K>>();
  private timer: NodeJS.Timeout | undefined;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (key: K) => void,
    private readonly deadlineOf: (key: K) => number,
    private readonly sweepEveryMs = 1000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sweep(), this.sweepEveryMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Tracks `key` until its deadline. */
  track(key: K): void {
    const second = Math.ceil(this.deadlineOf(key) / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    if (!bucket.has(key)) this.count++;
    bucket.add(key);
  }

  /** Stops tracking `key` (tracked under its current deadline, or `deadlineMs` when given). */
  untrack(key: K, deadlineMs = this.deadlineOf(key)): void {
    const second = Math.ceil(deadlineMs / 1000);
    const bucket = this.buckets.get(second);
    if (!bucket?.delete(key)) return;
    this.count--;
    if (bucket.size === 0) this.buckets.delete(second);
  }

  /** `key`'s deadline changed from `previousMs`: it moves to its new bucket. */
  moved(key: K, previousMs: number): void {
    this.untrack(key, previousMs);
    this.track(key);
  }

  /** Expires everything due now; exposed for tests with a manual clock. */
  sweep(): void {
    const nowSecond = this.clock.now() / 1000;
    for (const [second, keys] of this.buckets) {
      if (second > nowSecond) continue;
      this.buckets.delete(second);
      this.count -= keys.size;
      for (const key of keys) this.onExpire(key);
    }
  }

  get size(): number {
    return this.count;
  }
}
