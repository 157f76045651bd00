import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

test('notification settings: defaults, push off without a URL, and a URL without a secret is refused with the other problems', () => {
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(40) });
  assert.deepEqual(
    { batchWindowMs: config.notifications.batchWindowMs, bulkMax: config.notifications.bulkMax, push: config.notifications.push, alerts: config.notifications.alerts },
    { batchWindowMs: 0, bulkMax: 10_000, push: undefined, alerts: { autoExpireMs: 3_600_000, replayLimit: 50 } },
  );
  const on = loadConfig({ JWT_SECRET: 'x'.repeat(40), PUSH_WEBHOOK_URL: 'https://relay.example/push', PUSH_WEBHOOK_SECRET: 's'.repeat(16) });
  assert.deepEqual(on.notifications.push, {
    url: 'https://relay.example/push', secret: 's'.repeat(16), maxAttempts: 6, retryBaseMs: 2000, retryMaxMs: 300_000, timeoutMs: 5000, concurrency: 8, sweepIntervalMs: 1000,
  });
  assert.throws(
    () => loadConfig({ JWT_SECRET: 'x'.repeat(40), PUSH_WEBHOOK_URL: 'https://relay.example/push', PUSH_MAX_ATTEMPTS: '0', NOTIFICATION_BATCH_WINDOW_MS: 'soon' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      const fields = err.problems.map((p) => p.split(':')[0]).sort();
      assert.deepEqual(fields, ['NOTIFICATION_BATCH_WINDOW_MS', 'PUSH_MAX_ATTEMPTS', 'PUSH_WEBHOOK_SECRET']);
      return true;
    },
  );
  assert.throws(() => loadConfig({ JWT_SECRET: 'x'.repeat(40), PUSH_WEBHOOK_URL: 'ftp://relay.example/push', PUSH_WEBHOOK_SECRET: 's'.repeat(16) }), ConfigError);
});
