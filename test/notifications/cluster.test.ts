import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyPush } from '../../src/modules/notifications/index.ts';
import { collect, connectError, next, request } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestServer } from '../helpers/server.ts';
import { closeAll, registered, unconnected } from './fixtures.ts';
import { startRelay } from './relay.ts';

const SECRET = 'cluster-push-secret-0123456789';
const KHARTOUM = { latitude: 15.5007, longitude: 32.5532 };

describe('notifications, push and alerts across two nodes (shared Redis and PostgreSQL)', () => {
  let cluster: TestCluster | null = null;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  /** userIds whose first push call the relay answers with 500. */
  const failFirst = new Set<string>();
  before(async () => {
    relay = await startRelay((call) => (failFirst.delete(call.body.userId) ? 500 : 200));
    // Both nodes sweep every 50 ms with the real clock: they race for every due row.
    cluster = await startCluster(2, { PUSH_WEBHOOK_URL: relay.url, PUSH_WEBHOOK_SECRET: SECRET, PUSH_SWEEP_INTERVAL_MS: '50', PUSH_RETRY_BASE_MS: '50', PUSH_RETRY_MAX_MS: '200' });
  });
  after(async () => {
    closeAll();
    await cluster?.close();
    await relay.close();
  });
  const nodes = () => cluster!.nodes as [TestServer, TestServer];
  const pushStatus = async (id: string, userId: string) =>
    (await nodes()[0].app.db.query<{ status: string }>('SELECT status FROM push_deliveries WHERE notification_id = $1 AND user_id = $2', [id, userId])).rows[0]?.status;

  test('a notification sent through node 1 reaches the user on node 2; mark-read there updates every socket', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const onTwo = await n2.client('cl-1', 'passenger');
    const onOne = await n1.client('cl-1', 'passenger');
    await registered(n1, 'cl-1', 2);
    const got = [next(onTwo, 'notification'), next(onTwo, 'notification:new'), next(onOne, 'notification')];
    const res = await n1.api('/api/notifications', { body: { userId: 'cl-1', notification: { title: 'Cross-node', message: 'from node 1' } } });
    assert.equal(res.status, 201);
    for (const n of await Promise.all(got)) assert.equal(n.id, res.body.id);
    const counted = next(onOne, 'notification:count');
    assert.deepEqual(await request(onTwo, 'notification:mark-read', res.body.id), { success: true, data: { marked: 1, count: 0 } });
    assert.deepEqual(await counted, { count: 0 });
  });

  test('offline detection is cluster-wide: a user connected to node 2 gets no push from node 1', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const socket = await n2.client('cl-online', 'driver');
    await registered(n1, 'cl-online');
    const live = next(socket, 'notification');
    const res = await n1.api('/api/notifications', { body: { userId: 'cl-online', notification: { message: 'you are online elsewhere' } } });
    assert.equal((await live).id, res.body.id);
    await eventually(async () => assert.equal(await pushStatus(res.body.id, 'cl-online'), 'skipped'));
    assert.equal(relay.callsFor(res.body.id, 'cl-online').length, 0);
  });

  test('offline users: exactly one successful, signed call each, although both nodes sweep; a 500 is retried by either node', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1] = nodes();
    const userIds = Array.from({ length: 20 }, (_, i) => `cl-off-${i}`);
    failFirst.add('cl-off-0').add('cl-off-7');
    const res = await n1.api('/api/notifications', { body: { userIds, notification: { title: 'Offline', message: 'pushed once' } } });
    assert.equal(res.status, 201);
    await eventually(async () => {
      for (const u of userIds) assert.equal(await pushStatus(res.body.id, u), 'sent', u);
    }, 10_000);
    for (const u of userIds) {
      const calls = relay.callsFor(res.body.id, u);
      const expected = u === 'cl-off-0' || u === 'cl-off-7' ? [1, 2] : [1];
      assert.deepEqual(calls.map((c) => c.body.attempt), expected, u);
      for (const c of calls) assert.ok(verifyPush(SECRET, c.raw, c.headers, Date.now()), `signature ${u}`);
    }
  });

  test('user events across nodes: a status change made on node 1 reaches the user on node 2 first, then the suspension disconnects them everywhere', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    await n1.api('/api/users', { body: { id: 'cl-susp', role: 'driver', name: 'Sam' } });
    const sockets = [await n2.client('cl-susp', 'driver'), await n1.client('cl-susp', 'driver')];
    const admin = await n2.client('cl-susp-admin', 'admin');
    const orders = sockets.map((s) => {
      const order: string[] = [];
      s.on('user_status_changed', () => order.push('user_status_changed'));
      s.once('disconnect', () => order.push('disconnect'));
      return order;
    });
    const toAdmin = next(admin, 'user_status_changed');
    const res = await n1.api('/api/users/cl-susp', { method: 'PATCH', body: { status: 'suspended', reason: 'Documents expired' } });
    assert.equal(res.status, 200);
    assert.deepEqual({ ...(await toAdmin), timestamp: 'x' }, { userId: 'cl-susp', status: 'suspended', reason: 'Documents expired', timestamp: 'x' });
    await eventually(() => assert.deepEqual(orders, [['user_status_changed', 'disconnect'], ['user_status_changed', 'disconnect']]));
    const refused = await connectError(n2.url, { token: await n2.token('cl-susp', 'driver') });
    assert.equal(refused.data?.code, 'FORBIDDEN', 'node 2 dropped its cached profile');
  });

  test('an alert raised on node 1 reaches admins on node 2; the acknowledgement made there reaches the reporter on node 1; a later admin gets open ones', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const reporter = await n1.client('cl-alert-p', 'passenger');
    const admin = await n2.client('cl-alert-admin', 'admin');
    const toAdmin = next(admin, 'emergency_alert');
    const raised = await request<{ alertId: string }>(reporter, 'emergency_alert', { location: KHARTOUM, message: 'cross-node' });
    assert.ok(raised.success);
    assert.equal((await toAdmin).id, raised.data.alertId);

    const later = await unconnected(n2, 'cl-alert-late', 'admin');
    const replayed = collect(later, 'emergency_alert') as { id: string }[];
    later.connect();
    await eventually(() => assert.ok(replayed.some((a) => a.id === raised.data.alertId), 'replayed.some((a) => a.id === raised.data.alertId)'));

    const told = next(reporter, 'emergency_alert:acknowledged');
    assert.equal((await request(admin, 'emergency_alert:acknowledge', { alertId: raised.data.alertId })).success, true);
    assert.equal((await told).acknowledgedBy, 'cl-alert-admin');
  });

  test('a broadcast through node 2 reaches sockets on both nodes', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const a = await n1.client('cl-bc-a', 'passenger');
    const b = await n2.client('cl-bc-b', 'driver');
    const got = [next(a, 'system-announcement'), next(b, 'system-announcement'), next(a, 'notification:broadcast')];
    assert.equal((await n2.api('/api/notifications', { body: { broadcast: true, notification: { message: 'Maintenance at 02:00', type: 'info' } } })).status, 201);
    const [x, y] = await Promise.all(got);
    assert.deepEqual(x, y);
  });
});
