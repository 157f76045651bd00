import type { Logger } from '../core/logger.ts';
import { MemoryConnectionRegistry, type ConnectionRegistry } from './connection-registry.ts';
import { memoryRateLimiters, type RateLimiterFactory } from './rate-limiter.ts';
import { createRedisClient, RedisConnectionRegistry, redisRateLimiters, type RedisClient } from './redis/index.ts';

/** The shared-state implementations a node runs with: in-process, or Redis when REDIS_URL is set. */
export interface SharedState {
  readonly registry: ConnectionRegistry;
  readonly rateLimiters: RateLimiterFactory;
  /** The Redis command client for modules that need one (position feed, …). */
  readonly redis: RedisClient | undefined;
  /** Non-critical dependency checks for /api/health (a node without Redis still serves its own sockets). */
  readonly checks: Record<string, () => Promise<boolean>>;
  close(): Promise<void>;
}

export interface SharedStateSettings {
  /** Unset: in-process state for one node. */
  readonly redisUrl: string | undefined;
  readonly nodeId: string;
  readonly presenceHeartbeatMs: number;
  readonly presenceTtlMs: number;
}

export async function createSharedState(settings: SharedStateSettings, log: Logger): Promise<SharedState> {
  if (!settings.redisUrl) {
    return { registry: new MemoryConnectionRegistry(), rateLimiters: memoryRateLimiters, redis: undefined, checks: {}, close: async () => undefined };
  }
  const redis = await createRedisClient(settings.redisUrl, log, { name: `livegate-${settings.nodeId}` });
  const registry = new RedisConnectionRegistry(redis, { nodeId: settings.nodeId, log, tickMs: settings.presenceHeartbeatMs, ttlMs: settings.presenceTtlMs });
  return {
    registry,
    rateLimiters: redisRateLimiters(redis),
    redis,
    checks: { redis: async () => redis.isReady },
    async close() {
      await registry.close();
      await redis.close().catch(() => undefined);
    },
  };
}
