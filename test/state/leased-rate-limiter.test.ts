import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { createLogger } from '../../src/core/logger.ts';
import { leaseSize } from '../../src/state/redis/leased-rate-limiter.ts';
import { createRedisClient, redisRateLimiters, type RedisClient } from '../../src/state/redis/index.ts';
import { startRedis } from '../helpers/redis.ts';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');
const uniqueName = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;
const redis = await startRedis();

describe('Redis rate limits by the lease', { skip: redis ? false : 'redis-server not found (see the warning above); CI=true fails instead of skipping' }, () => {
  const clients: RedisClient[] = [];
  const client = async () => {
    const c = await createRedisClient(redis!.url, log, { maxBackoffMs: 100 });
    clients.push(c);
    return c;
  };
  after(async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis?.stop();
  });

  test('lease size: 1/20 of the budget, one point at a time below 40', () => {
    assert.equal(leaseSize({ points: 10, durationS: 60 }), 1);
    assert.equal(leaseSize({ points: 39, durationS: 60 }), 1);
    assert.equal(leaseSize({ points: 100, durationS: 10 }), 5);
  });

  test('a node takes points/20 at once from Redis and spends them in memory', async () => {
    const c = await client();
    const name = uniqueName('lease');
    const limiter = redisRateLimiters(c).create(name, { points: 100, durationS: 60 });
    const counted = async () => Number(await c.get(`livegate:rl:${name}:user-1`));
    assert.equal((await limiter.consume('user-1')).allowed, true);
    assert.equal(await counted(), 5, 'one lease of 5 taken');
    for (let i = 0; i < 4; i++) assert.equal((await limiter.consume('user-1')).allowed, true);
    assert.equal(await counted(), 5, 'the next 4 came from the lease');
    await limiter.consume('user-1');
    assert.equal(await counted(), 10, 'the 6th took a second lease');
  });

  test('two nodes consuming concurrently never allow more than N per window together', async () => {
    const [a, b] = [await client(), await client()];
    const name = uniqueName('race');
    const rule = { points: 40, durationS: 60 };
    const [onA, onB] = [redisRateLimiters(a).create(name, rule), redisRateLimiters(b).create(name, rule)];
    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? onA : onB).consume('hot-user')));
    const allowed = decisions.filter((d) => d.allowed).length;
    assert.ok(allowed <= 40, `allowed ${allowed} > 40`);
    assert.ok(allowed >= 40 - leaseSize(rule), `allowed ${allowed}: more than one lease lost`);
    assert.ok(decisions.filter((d) => !d.allowed).every((d) => d.retryAfterMs > 0 && d.retryAfterMs <= 60_000));
  });

  test('a spent budget is refused in memory until the window ends, without asking Redis', async () => {
    const limiter = redisRateLimiters(await client(), { timeoutMs: 150 }).create(uniqueName('spent'), { points: 2, durationS: 60 });
    assert.deepEqual([(await limiter.consume('u')).allowed, (await limiter.consume('u')).allowed, (await limiter.consume('u')).allowed], [true, true, false]);
    // A hung Redis would send the consume to the insurance (a fresh per-node budget that allows it) after 150 ms.
    await redis!.pause();
    try {
      const started = Date.now();
      const refused = await limiter.consume('u');
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 50_000, `retryAfterMs ${refused.retryAfterMs}`);
      assert.ok(Date.now() - started < 100, 'answered without a round trip');
    } finally {
      await redis!.resume();
    }
  });
});
