import type { Clock } from '../core/clock.ts';

/**
 * Fires a callback when a connection's token expires. One timer for all
 * connections: entries sit in one-second buckets swept once a second, which
 * costs far less memory than a timer per socket.
 */
export class ExpiryWheel<K> {
  private readonly buckets = new Map<number, Set<K>>();
  private readonly bucketOf = new Map<K, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (key: K) => void,
    private readonly sweepEveryMs = 1000,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sweep(), this.sweepEveryMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Tracks `key` until `expiresAtMs`, replacing any earlier deadline. */
  track(key: K, expiresAtMs: number): void {
    this.untrack(key);
    const second = Math.ceil(expiresAtMs / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = new Set()));
    bucket.add(key);
    this.bucketOf.set(key, second);
  }

  untrack(key: K): void {
    const second = this.bucketOf.get(key);
    if (second === undefined) return;
    this.bucketOf.delete(key);
    const bucket = this.buckets.get(second);
    bucket?.delete(key);
    if (bucket?.size === 0) this.buckets.delete(second);
  }

  /** Expires everything due now; exposed for tests with a manual clock. */
  sweep(): void {
    const nowSecond = this.clock.now() / 1000;
    for (const [second, keys] of this.buckets) {
      if (second > nowSecond) continue;
      this.buckets.delete(second);
      for (const key of keys) {
        this.bucketOf.delete(key);
        this.onExpire(key);
      }
    }
  }

  get size(): number {
    return this.bucketOf.size;
  }
}
