import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LivegateError, type LivegateClient } from '@livegate/client';
import { startServer, type TestServer } from '../helpers/server.ts';
import { sdkClient } from './sdk-helpers.ts';

let server: TestServer;
const clients: LivegateClient[] = [];
before(async () => {
  server = await startServer({ RATE_LIMIT_DEFAULT: '3/1' });
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

test('emits refused with RATE_LIMIT_EXCEEDED are sent again after retryAfterMs', async () => {
  const client = await sdkClient(server, 'sdk-rate', 'passenger', clients, { rateLimitRetries: 3 });
  const answers = await Promise.all(Array.from({ length: 6 }, () => client.emit('ping')));
  assert.equal(answers.length, 6);
  for (const a of answers) assert.match(a.serverTime, /^\d{4}-/);
});

test('past its retries the rate-limit error surfaces with retryAfterMs', async () => {
  const client = await sdkClient(server, 'sdk-rate-2', 'passenger', clients, { rateLimitRetries: 0 });
  const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.emit('ping')));
  const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as unknown);
  assert.ok(refused.length >= 1, 'some pings are refused');
  for (const err of refused) {
    assert.ok(err instanceof LivegateError);
    assert.equal(err.code, 'RATE_LIMIT_EXCEEDED');
    assert.ok((err.retryAfterMs ?? 0) > 0);
  }
});
