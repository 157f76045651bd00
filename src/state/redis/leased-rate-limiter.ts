import type { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, RateRuleSpec } from '../rate-limiter.ts';
import { luaScript } from './lua-script.ts';
import type { RedisClient } from './redis-client.ts';

/**
 * Takes up to ARGV[1] points of the window's budget ARGV[2] at once; the key
 * lives ARGV[3] ms from its first point (a fixed window, as before). Points
 * asked for beyond the budget stay counted, so the counter never goes back
 * within a window and a refusal can be remembered until the key expires.
 * Returns { granted, ms left in the window }.
 */
const LEASE = luaScript(`
local ask = tonumber(ARGV[1])
local n = redis.call('INCRBY', KEYS[1], ask)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
local over = n - tonumber(ARGV[2])
if over > 0 then ask = math.max(0, ask - over) end
return { ask, ttl }
`);

/** A share of a key's window budget held by this node. */
interface Lease {
  left: number;
  endsAt: number;
  /** Redis granted less than asked: the window's budget is spent, refuse until `endsAt`. */
  spent: boolean;
  /** The request for more points while it runs (true once granted); `since` bounds how long consumers wait for it. */
  pending?: Promise<boolean>;
  since: number;
}

export interface LeasedLimiterOptions {
  client: RedisClient;
  /** The Redis key of `key` (the same keys the rate-limiter-flexible limiter used). */
  redisKey: (key: string) => string;
  rule: RateRuleSpec;
  /** Answers while Redis is down or slower than `timeoutMs`: the same rule, counted on this node. */
  insurance: RateLimiterMemory;
  timeoutMs: number;
  /** Points taken from Redis per round trip; see `leaseSize`. */
  leaseSize: number;
  now?: () => number;
}

/**
 * How many points a node takes from the shared budget at once: 1/20 of it, so
 * a rule of 100 per 10 s costs one Redis round trip per 5 events of a key
 * instead of one per event. Points a node took but did not use are lost to
 * the other nodes until the window ends: a key active on k nodes may be
 * refused up to (k − 1) × leaseSize points before N (5 % of N per extra
 * node), and is never allowed more than N per window. Small budgets (< 40)
 * take one point at a time, exactly as a plain Redis counter.
 */
export function leaseSize(rule: RateRuleSpec): number {
  return Math.max(1, Math.floor(rule.points / 20));
}

/**
 * A cluster-wide "N per S seconds" limiter that counts in Redis by the
 * lease: most consumes are decided in memory from the points this node
 * already holds, and a key that ran out is refused in memory until its
 * window ends. Only taking a new lease is a round trip; consumes of the same
 * key arriving meanwhile wait for it rather than sending their own.
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();
  private readonly now: () => number;
  private pruneAbove = PRUNE_ABOVE;

  constructor(private readonly opts: LeasedLimiterOptions) {
    this.now = opts.now ?? Date.now;
  }

  async consume(key: string): Promise<RateDecision> {
    for (;;) {
      const now = this.now();
      let lease = this.leases.get(key);
      if (lease && lease.endsAt <= now && !lease.pending) {
        this.leases.delete(key);
        lease = undefined;
      }
      if (lease && lease.left > 0) {
        lease.left--;
        return ALLOWED;
      }
      if (lease?.pending) {
        const waitMs = lease.since + this.opts.timeoutMs - now;
        // Failed (Redis refused) or slower than the timeout: this consume is answered by the insurance.
        if (waitMs <= 0 || (await within(lease.pending, waitMs)) !== true) return this.insured(key);
        continue;
      }
      if (lease?.spent) return { allowed: false, retryAfterMs: Math.max(1, lease.endsAt - now) };
      if (!this.opts.client.isReady) return this.insured(key);
      if (!lease) this.leases.set(key, (lease = { left: 0, endsAt: now, spent: false, since: now }));
      lease.since = now;
      const current: Lease = lease;
      // `finally` runs after this assignment even when the request fails at once.
      const pending = this.take(key, current).finally(() => {
        if (current.pending === pending) current.pending = undefined;
        if (this.leases.size > this.pruneAbove) this.prune();
      });
      current.pending = pending;
    }
  }

  private async take(key: string, lease: Lease): Promise<boolean> {
    const { rule, leaseSize: ask, client, redisKey } = this.opts;
    try {
      const [granted, ttl] = (await LEASE.run(client, [redisKey(key)], [String(ask), String(rule.points), String(rule.durationS * 1000)])) as [number, number];
      // Points of an earlier window that were not used are not carried over.
      if (lease.endsAt <= this.now()) lease.left = 0;
      lease.left += granted;
      lease.spent = granted < ask;
      lease.endsAt = this.now() + ttl;
      return true;
    } catch {
      // The next consume of this key asks again (or uses the insurance while Redis is down).
      if (lease.left === 0) this.leases.delete(key);
      return false;
    }
  }

  private async insured(key: string): Promise<RateDecision> {
    try {
      await this.opts.insurance.consume(key);
      return ALLOWED;
    } catch (res) {
      const msBeforeNext = (res as { msBeforeNext?: unknown } | null)?.msBeforeNext;
      if (typeof msBeforeNext === 'number') return { allowed: false, retryAfterMs: msBeforeNext };
      throw res;
    }
  }

  /** Drops leases of ended windows; runs when the map doubled since the last pass, so its cost stays linear. */
  private prune(): void {
    const now = this.now();
    for (const [key, lease] of this.leases) if (lease.endsAt <= now && !lease.pending) this.leases.delete(key);
    this.pruneAbove = Math.max(PRUNE_ABOVE, this.leases.size * 2);
  }
}

const ALLOWED: RateDecision = Object.freeze({ allowed: true, retryAfterMs: 0 });
const PRUNE_ABOVE = 10_000;

/** The promise's value if it settles within `ms`, else undefined. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
