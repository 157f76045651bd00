import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser, type SseMessage } from '../../packages/client/src/sse-parser.ts';
import { Backoff } from '../../packages/client/src/backoff.ts';
import { refreshDelay, tokenExpiry } from '../../packages/client/src/token.ts';

function parse(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = new SseParser((m) => out.push(m));
  for (const c of chunks) parser.feed(c);
  return out;
}

test('the SSE parser reads id, event and multi-line data across chunk boundaries, skipping comments', () => {
  const messages = parse(['retry: 3000\n\n: keep-alive\n\nid: 7\nevent: notif', 'ication:new\r\ndata: {"a":\r\ndata: 1}\r\n\r', '\nevent: x\ndata:no-space\n\n']);
  assert.deepEqual(messages, [
    { id: '7', event: 'notification:new', data: '{"a":\n1}' },
    { id: '7', event: 'x', data: 'no-space' },
  ]);
});

test('backoff grows exponentially to its ceiling, with jitter between half and all of each step', () => {
  const low = new Backoff(100, 1000, () => 0);
  assert.deepEqual([low.next(), low.next(), low.next(), low.next(), low.next()], [50, 100, 200, 400, 500]);
  const high = new Backoff(100, 1000, () => 1);
  assert.deepEqual([high.next(), high.next(), high.next(), high.next(), high.next()], [100, 200, 400, 800, 1000]);
  high.reset();
  assert.equal(high.next(), 100);
});

test('the token expiry is read from exp, and the refresh comes before it', () => {
  const payload = Buffer.from(JSON.stringify({ sub: 'u', exp: 2_000_000_000 })).toString('base64url');
  assert.equal(tokenExpiry(`x.${payload}.y`), 2_000_000_000_000);
  assert.equal(tokenExpiry('not-a-jwt'), undefined);
  assert.equal(refreshDelay(100_000, 0, 30_000), 70_000);
  assert.equal(refreshDelay(10_000, 0, 30_000), 5_000);
  assert.equal(refreshDelay(0, 10, 30_000), 0);
});
