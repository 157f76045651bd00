import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectEventStream, type LivegateEventStream } from '@livegate/client';
import { startServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';

let server: TestServer;
const streams: LivegateEventStream[] = [];
before(async () => {
  server = await startServer();
});
after(async () => {
  for (const s of streams) s.close();
  await server.close();
});

const notify = (userId: string, message: string) => server.api('/api/notifications', { body: { userId, notification: { title: 'SSE', message } } });

test('the SSE fallback receives typed events over GET /events and resumes after Last-Event-ID', async () => {
  const seen: string[] = [];
  const token = () => server.token('sdk-sse', 'passenger');
  const stream = connectEventStream({ url: server.url, token, reconnect: { baseMs: 100, maxMs: 500 } });
  streams.push(stream);
  stream.on('notification:new', (n) => seen.push(n.message));
  // The stream is open once a first event can arrive: send until one does.
  let sent = 0;
  await eventually(async () => {
    if (seen.length === 0) {
      sent += 1;
      await notify('sdk-sse', 'first');
    }
    assert.ok(seen.includes('first'), `seen: ${seen.join()}`);
  }, 15_000, 500);
  stream.close();
  const position = stream.lastSeq;
  assert.ok(typeof position === 'number', 'durable events carry id:');
  assert.equal((await notify('sdk-sse', 'missed')).status, 201);
  sent += 1;

  // A new stream from the saved position gets what the first one missed, and nothing it already had.
  const again: string[] = [];
  const resumed = connectEventStream({ url: server.url, token, lastSeq: position });
  streams.push(resumed);
  resumed.on('notification:new', (n) => again.push(n.message));
  await eventually(() => assert.ok(again.includes('missed'), 'again.includes(\'missed\')'), 15_000);
  // Every notification exactly once across the two streams.
  await eventually(() => assert.equal(seen.length + again.length, sent), 5_000);
  assert.deepEqual(again.filter((m) => m === 'missed'), ['missed']);
  assert.ok((resumed.lastSeq ?? 0) > position);
});
