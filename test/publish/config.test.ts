import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, findUnknownEnv, loadConfig } from '../../src/config/index.ts';

describe('WEBHOOK_SECRET_<SOURCE> configuration', () => {
  test('every WEBHOOK_SECRET_* variable is gathered by source in lower case', () => {
    const config = loadConfig({ NODE_ENV: 'test', WEBHOOK_SECRET_TICKETS: 'a'.repeat(16), WEBHOOK_SECRET_BILLING_EU: 'b'.repeat(20) });
    assert.deepEqual({ ...config.webhooks.secrets }, { tickets: 'a'.repeat(16), billing_eu: 'b'.repeat(20) });
    assert.deepEqual({ ...loadConfig({ NODE_ENV: 'test' }).webhooks.secrets }, {});
  });

  test('a short secret stops the start, listed with the other problems', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_SECRET_TICKETS: 'short', PORT: 'x' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.ok(err.problems.some((p) => p.startsWith('WEBHOOK_SECRET_TICKETS: must be at least 16')));
      assert.ok(err.problems.some((p) => p.startsWith('PORT')));
      return true;
    });
  });

  test('webhook secrets are known variables, never reported as misspellings', () => {
    const env = { WEBHOOK_SECRET_TICKETS: 'x', WEBHOOK_SECRET_EBS: 'x', WEBHOOK_SECRET_PUSH: 'x', WEBHOOK_SECRET_A: 'x' };
    assert.deepEqual(findUnknownEnv(env), []);
  });
});
