import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freePort } from '../helpers/ports.ts';
import { SECRET, assertOneLine, escapeRegExp, exitWithin, start } from './startup-helpers.ts';

describe('livegate start: unreachable Redis or PostgreSQL', () => {
  for (const [name, variable, url, shown] of [
    ['Redis', 'REDIS_URL', (port: number) => `redis://app:hunter2-secret@127.0.0.1:${port}`, (port: number) => `redis://app:***@127.0.0.1:${port}`],
    ['PostgreSQL', 'DATABASE_URL', (port: number) => `postgres://app:hunter2-secret@127.0.0.1:${port}/livegate`, (port: number) => `postgres://app:***@127.0.0.1:${port}/livegate`],
  ] as const) {
    test(`${name}: one line naming the masked URL and the cause, exit 1 within 10 s`, async () => {
      const port = await freePort();
      const startedAt = Date.now();
      const child = start({ PORT: String(await freePort()), DATA_DIR: 'memory', JWT_SECRET: SECRET, [variable]: url(port) });
      const code = await exitWithin(child, 30_000);
      const tookMs = Date.now() - startedAt;
      assert.equal(code, 1, child.stderr());
      const escaped = escapeRegExp(shown(port));
      assertOneLine(child, new RegExp(`^livegate: cannot reach ${name} at ${escaped} \\(ECONNREFUSED\\)`));
      assert.doesNotMatch(child.stdout() + child.stderr(), /hunter2/, 'the password is not printed');
      assert.ok(tookMs < 10_000, `exited after ${tookMs} ms`);
    });
  }
});

describe('Redis client start-up deadline', () => {
  test('createRedisClient gives up on a Redis that never answers: RedisUnreachableError, password masked', async () => {
    const { createRedisClient } = await import('../../src/state/redis/redis-client.ts');
    const { RedisUnreachableError } = await import('../../src/state/redis/redis-client.ts');
    const { createLogger } = await import('../../src/core/logger.ts');
    const port = await freePort();
    const startedAt = Date.now();
    await assert.rejects(
      createRedisClient(`redis://:hunter2@127.0.0.1:${port}`, createLogger('silent', 'test'), { startupTimeoutMs: 300 }),
      (err: Error) => err instanceof RedisUnreachableError && err.message.startsWith(`cannot reach Redis at redis://:***@127.0.0.1:${port}`) && !err.message.includes('hunter2'),
    );
    assert.ok(Date.now() - startedAt < 5000, 'within a few seconds of the deadline');
  });
});
