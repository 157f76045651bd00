import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { next, request } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';

describe('three gateway nodes sharing one Redis and one PostgreSQL', async () => {
  let cluster: TestCluster | null = null;
  before(async () => {
    cluster = await startCluster(3, { MAX_CONNECTIONS_PER_USER: '2', RATE_LIMIT_DEFAULT: '6/30' });
  });
  after(() => cluster?.close());
  const nodes = () => cluster!.nodes as [NonNullable<TestCluster>['nodes'][number], NonNullable<TestCluster>['nodes'][number], NonNullable<TestCluster>['nodes'][number]];

  test('a client on node 1 receives what is emitted for it through node 3', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, , n3] = nodes();
    const socket = await n1.client('mn-user', 'passenger');
    await n3.api('/api/users', { body: { id: 'mn-user', role: 'passenger', name: 'Before' } });
    const changed = next(socket, 'profile_updated');
    const res = await n3.api('/api/users/mn-user', { method: 'PATCH', body: { name: 'After' } });
    assert.equal(res.status, 200);
    assert.deepEqual((await changed).changes, ['name']);
  });

  test('a room joined on one node receives emits made on another', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const socket = await n1.client('mn-room', 'driver');
    // A join authorised on node 1 (the server decides membership) ...
    n1.app.io.in(socket.id!).socketsJoin('trip:mn-1');
    await eventually(async () => assert.equal((await n2.app.io.in('trip:mn-1').fetchSockets()).length, 1));
    // ... and an emit to that room from node 2.
    const got = next(socket, 'heartbeat');
    n2.app.io.to('trip:mn-1').emit('heartbeat', { timestamp: 42 });
    assert.deepEqual(await got, { timestamp: 42 });
  });

  test('the connection list and disconnects cover the whole cluster', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2, n3] = nodes();
    const a = await n1.client('mn-list-a', 'passenger');
    await n3.client('mn-list-b', 'driver');
    const listed = await eventually(async () => {
      const res = await n2.api('/api/connections');
      const ids = res.body.connections.map((c: { userId: string }) => c.userId);
      assert.ok(ids.includes('mn-list-a') && ids.includes('mn-list-b'), `listed: ${ids}`);
      return res.body.connections as Array<{ userId: string; nodeId: string }>;
    });
    assert.equal(listed.find((c) => c.userId === 'mn-list-a')?.nodeId, 'node-1');
    assert.equal(listed.find((c) => c.userId === 'mn-list-b')?.nodeId, 'node-3');
    const gone = new Promise<string>((r) => a.once('disconnect', r));
    const res = await n2.api('/api/connections/disconnect', { body: { userId: 'mn-list-a' } });
    assert.deepEqual(res.body, { disconnected: 1 });
    assert.equal(await gone, 'io server disconnect');
  });

  test('the per-user connection cap holds across nodes', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2, n3] = nodes();
    const first = await n1.client('mn-cap', 'driver');
    const firstGone = new Promise<string>((r) => first.once('disconnect', r));
    const second = await n2.client('mn-cap', 'driver');
    const third = await n3.client('mn-cap', 'driver');
    assert.equal(await firstGone, 'io server disconnect');
    assert.ok(second.connected && third.connected, 'the two newest stay');
  });

  test('per-user event rate limits hold across nodes', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2, n3] = nodes();
    const sockets = [await n1.client('mn-rate', 'passenger'), await n2.client('mn-rate', 'passenger')];
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push((await request(sockets[i % 2]!, 'ping')).success);
    assert.deepEqual(answers, [true, true, true, true, true, true]);
    const third = await n3.client('mn-rate-other', 'passenger');
    assert.equal((await request(sockets[0]!, 'ping')).success, false, 'the 7th, on either node, is refused');
    assert.equal((await request(third, 'ping')).success, true, 'another user is not affected');
  });
});
