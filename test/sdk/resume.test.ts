import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LivegateClient } from '@livegate/client';
import { startServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';
import { sdkClient } from './sdk-helpers.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'livegate-sdk-resume-'));
const clients: LivegateClient[] = [];
let current: TestServer | undefined;
after(async () => {
  for (const c of clients) c.close();
  await current?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function notify(server: TestServer, userId: string, message: string) {
  return server.api('/api/notifications', { body: { userId, notification: { title: 'Resume', message } } });
}

test('events missed while disconnected arrive once at the next connect, by replay from lastSeq', async () => {
  current ??= await startServer({ DATA_DIR: dataDir });
  const seen: string[] = [];
  const client = await sdkClient(current, 'sdk-replay', 'passenger', clients);
  client.on('notification:new', (n) => seen.push(n.message));
  await notify(current, 'sdk-replay', 'one');
  await eventually(() => assert.deepEqual(seen, ['one']), 10_000);
  client.disconnect();
  assert.equal((await notify(current, 'sdk-replay', 'two')).status, 201);
  assert.equal((await notify(current, 'sdk-replay', 'three')).status, 201);
  assert.deepEqual(seen, ['one']);
  // An emit made meanwhile waits in the offline queue and is answered after the connect.
  const counted = client.emit('notification:request-count');
  assert.equal(client.queued, 1);
  client.connect();
  await eventually(() => assert.deepEqual(seen, ['one', 'two', 'three']), 10_000);
  assert.ok((await counted).count >= 3);
  await notify(current, 'sdk-replay', 'four');
  await eventually(() => assert.deepEqual(seen, ['one', 'two', 'three', 'four']), 10_000);
});

test('a notification sent while the gateway restarts arrives once, after the client resumes from lastSeq', async () => {
  current ??= await startServer({ DATA_DIR: dataDir });
  const { port } = current;
  const seen: string[] = [];
  const client = await sdkClient(current, 'sdk-resume', 'passenger', clients, { reconnect: { baseMs: 100, maxMs: 500 } });
  client.on('notification:new', (n) => seen.push(n.message));
  assert.equal((await notify(current, 'sdk-resume', 'before')).status, 201);
  await eventually(() => assert.deepEqual(seen, ['before']), 10_000);
  const before = client.lastSeq;
  assert.ok(typeof before === 'number', 'durable events carry _seq');

  await current.close();
  current = undefined;
  await eventually(() => assert.equal(client.status, 'disconnected'), 10_000);
  // Same port and the same database: the client's reconnect loop finds it again.
  current = await startServer({ DATA_DIR: dataDir, PORT: String(port) });
  // Sent as soon as the new gateway listens — usually before the client is back, so it arrives by replay.
  assert.equal((await notify(current, 'sdk-resume', 'during')).status, 201);
  await eventually(() => assert.deepEqual(seen, ['before', 'during']), 20_000, 50);
  assert.ok((client.lastSeq ?? 0) > before);
  // Nothing arrives twice once the replay and live traffic have met.
  assert.equal((await notify(current, 'sdk-resume', 'after')).status, 201);
  await eventually(() => assert.deepEqual(seen, ['before', 'during', 'after']), 10_000);
});
