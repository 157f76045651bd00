export { createRedisClient, isRedisReady, reconnectDelay, type RedisClient, type RedisClientOptions } from './redis-client.ts';
export { RedisConnectionRegistry, type RedisConnectionRegistryOptions } from './redis-connection-registry.ts';
export { redisRateLimiters, type RedisRateLimitersOptions } from './redis-rate-limiters.ts';
