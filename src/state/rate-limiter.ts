import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateRuleSpec { points: number; durationS: number }
export interface RateDecision { allowed: boolean; retryAfterMs: number }

/** One rule ("N per S seconds") applied per key (a user, an IP). */
export interface RateLimiter {
  consume(key: string): Promise<RateDecision>;
}

/** Makes limiters; the in-process and the Redis-backed factory share this shape. */
export interface RateLimiterFactory {
  create(name: string, rule: RateRuleSpec): RateLimiter;
}

/** Adapts any rate-limiter-flexible limiter (memory, Redis) to the port. */
export function adaptFlexible(limiter: { consume(key: string): Promise<RateLimiterRes> }): RateLimiter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfterMs: 0 };
      } catch (res) {
        if (res instanceof RateLimiterRes) return { allowed: false, retryAfterMs: res.msBeforeNext };
        throw res;
      }
    },
  };
}

export const memoryRateLimiters: RateLimiterFactory = {
  create: (name, rule) => adaptFlexible(new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.durationS })),
};

export const unlimited: RateLimiter = { consume: async () => ({ allowed: true, retryAfterMs: 0 }) };
