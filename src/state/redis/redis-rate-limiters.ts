import { RateLimiterMemory, RateLimiterRedis, RLWrapperTimeouts } from 'rate-limiter-flexible';
import { adaptFlexible, type RateLimiterFactory } from '../rate-limiter.ts';
import type { RedisClient } from './redis-client.ts';

export interface RedisRateLimitersOptions {
  /** Default `livegate:rl:`; the limiter name follows. */
  prefix?: string;
  /** A Redis answer slower than this is treated as Redis being down. Default 250 ms. */
  timeoutMs?: number;
}

/**
 * Limits counted in Redis, so "N per S seconds" holds across the whole
 * cluster. When Redis is down (refused at once: the client has no offline
 * queue) or hung (no answer within `timeoutMs`), each limiter falls back to
 * its in-process insurance limiter with the same rule: limits degrade to
 * per-node instead of failing or letting everything through.
 *
 * The insurance sits on the timeout wrapper only: on the Redis limiter too, a
 * command that first times out and later fails would be charged twice.
 */
export function redisRateLimiters(client: RedisClient, opts: RedisRateLimitersOptions = {}): RateLimiterFactory {
  const prefix = opts.prefix ?? 'livegate:rl:';
  return {
    create(name, rule) {
      const insuranceLimiter = new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationS });
      const redis = new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        rejectIfRedisNotReady: true,
        keyPrefix: `${prefix}${name}`,
        points: rule.points,
        duration: rule.durationS,
      });
      return adaptFlexible(new RLWrapperTimeouts({ limiter: redis, insuranceLimiter, timeoutMs: opts.timeoutMs ?? 250 }));
    },
  };
}
