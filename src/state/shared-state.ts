import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { createRedisAdapter, type RedisAdapterHandle } from '../realtime/redis-adapter.ts';
import { MemoryConnectionRegistry, type ConnectionRegistry } from './connection-registry.ts';
import { memoryRateLimiters, type RateLimiterFactory } from './rate-limiter.ts';
import { createRedisClient, RedisConnectionRegistry, redisRateLimiters, type RedisClient } from './redis/index.ts';

/** The shared-state implementations a node runs with: in-process, or Redis when REDIS_URL is set. */
export interface SharedState {
  readonly registry: ConnectionRegistry;
  readonly rateLimiters: RateLimiterFactory;
  /** The Socket.IO adapter across nodes; undefined = in-memory (one node). */
  readonly adapter: RedisAdapterHandle | undefined;
  /** The Redis command client for modules that need one (position feed, …). */
  readonly redis: RedisClient | undefined;
  /** Non-critical dependency checks for /api/health (a node without Redis still serves its own sockets). */
  readonly checks: Record<string, () => Promise<boolean>>;
  close(): Promise<void>;
}

export async function createSharedState(config: Config, log: Logger, hooks: { onPublishFailed?: () => void } = {}): Promise<SharedState> {
  if (!config.redisUrl) {
    return { registry: new MemoryConnectionRegistry(), rateLimiters: memoryRateLimiters, adapter: undefined, redis: undefined, checks: {}, close: async () => undefined };
  }
  const redis = await createRedisClient(config.redisUrl, log, { name: `livegate-${config.nodeId}` });
  const adapter = await createRedisAdapter(config.redisUrl, config.redis.adapter, log, hooks.onPublishFailed);
  const registry = new RedisConnectionRegistry(redis, { nodeId: config.nodeId, log, tickMs: config.redis.presenceHeartbeatMs, ttlMs: config.redis.presenceTtlMs });
  return {
    registry,
    rateLimiters: redisRateLimiters(redis),
    adapter,
    redis,
    checks: { redis: async () => redis.isReady && adapter.isReady() },
    async close() {
      await registry.close();
      await adapter.close();
      await redis.close().catch(() => undefined);
    },
  };
}
