import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimiterFactory } from '../rate-limiter.ts';
import { LeasedRateLimiter, leaseSize } from './leased-rate-limiter.ts';
import type { RedisClient } from './redis-client.ts';

export interface RedisRateLimitersOptions {
  /** Default `livegate:rl:`; the limiter name follows. */
  prefix?: string;
  /** A Redis answer slower than this is treated as Redis being down. Default 250 ms. */
  timeoutMs?: number;
}

/**
 * Limits counted in Redis, so "N per S seconds" holds across the whole
 * cluster, taken from Redis by the lease (leased-rate-limiter.ts): one round
 * trip per 1/20 of a key's budget rather than per event, with the tolerance
 * explained there (never more than N; a key active on several nodes may be
 * refused a little early). When Redis is down (refused at once: the client
 * has no offline queue) or hung (no answer within `timeoutMs`), each limiter
 * answers from its in-process insurance limiter with the same rule: limits
 * degrade to per-node instead of failing or letting everything through.
 */
export function redisRateLimiters(client: RedisClient, opts: RedisRateLimitersOptions = {}): RateLimiterFactory {
  const prefix = opts.prefix ?? 'livegate:rl:';
  return {
    create(name, rule) {
      const keyPrefix = `${prefix}${name}:`;
      return new LeasedRateLimiter({
        client,
        rule,
        redisKey: (key) => keyPrefix + key,
        insurance: new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationS }),
        timeoutMs: opts.timeoutMs ?? 250,
        leaseSize: leaseSize(rule),
      });
    },
  };
}
