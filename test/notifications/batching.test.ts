import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, next, request } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('bursts to one user within NOTIFICATION_BATCH_WINDOW_MS (seed 003 `notifications:batch`)', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ NOTIFICATION_BATCH_WINDOW_MS: '1000' })));
  after(() => server.close());

  const send = async (body: Record<string, unknown>) => (await server.api('/api/notifications', { body })).body.id as string;

  test('the first notification goes out at once; the rest of the burst arrives as one batch; the window then closes', async () => {
    const socket = await server.client('batch-1', 'passenger');
    const singles = collect(socket, 'notification');
    const batch = next(socket, 'notifications:batch', 5000);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await send({ userId: 'batch-1', notification: { title: `Burst ${i}`, message: `m${i}` } }));
    const batched = await batch;
    assert.deepEqual(batched.map((n) => n.id), ids.slice(1));
    assert.deepEqual(batched.map((n) => n.title), ['Burst 1', 'Burst 2', 'Burst 3']);
    assert.deepEqual(singles.map((n) => (n as { id: string }).id), [ids[0]], 'only the first went out alone');

    const after = next(socket, 'notification');
    const later = await send({ userId: 'batch-1', notification: { message: 'after the window' } });
    assert.equal((await after).id, later, 'a new window starts with an immediate emit');
    assert.deepEqual(await request(socket, 'notification:request-count'), { success: true, data: { count: 5 } }, 'every one is in the inbox');
  });

  test('bulk sends are not batched: one emit to every recipient', async () => {
    const a = await server.client('batch-2a', 'passenger');
    const b = await server.client('batch-2b', 'passenger');
    const got = [next(a, 'notification'), next(b, 'notification')];
    const id = await send({ userIds: ['batch-2a', 'batch-2b'], notification: { message: 'to both' } });
    assert.deepEqual((await Promise.all(got)).map((n) => n.id), [id, id]);
  });
});
