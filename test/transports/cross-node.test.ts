import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { next, request } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { openSse } from './sse-client.ts';
import { wsAs } from './ws-client.ts';

const KHARTOUM = { latitude: 15.5007, longitude: 32.5532 };

describe('Plain WebSocket and SSE share rooms with Socket.IO across nodes (real Redis)', () => {
  let cluster: TestCluster | null;
  before(async () => (cluster = await startCluster(2)));
  after(() => cluster?.close());

  test('a tracker on /ws on node A reaches a dashboard on Socket.IO on node B, and the answer comes back', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [a, b] = cluster.nodes;
    const admin = await b!.client('x-admin', 'admin');
    const tracker = await wsAs(a!.url, await a!.token('x-tracker', 'driver'));
    const seen = next(admin, 'emergency:alert', 5000);
    const ack = await tracker.request('emergency_alert', { location: KHARTOUM, message: 'engine fire' }, 5000);
    assert.equal(ack.success, true, JSON.stringify(ack));
    const alert = await seen;
    assert.equal(alert.alert.id, ack.data.alertId);
    assert.equal(alert.alert.userId, 'x-tracker');
    // The dashboard on B acknowledges; the tracker on A hears it.
    assert.equal((await request(admin, 'emergency_alert:acknowledge', { alertId: ack.data.alertId })).success, true);
    const acknowledged = await tracker.next('emergency_alert:acknowledged', 5000);
    assert.equal(acknowledged.data.alertId, ack.data.alertId);
    tracker.close();
    admin.close();
  });

  test('an SSE stream on node B gets what is published on node A', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [a, b] = cluster.nodes;
    const stream = await openSse(b!.url, `/events?token=${await b!.token('x-sse', 'passenger')}`);
    await stream.next('authenticated');
    assert.equal((await a!.api('/api/publish', { body: { to: { userId: 'x-sse' }, event: 'x-news', data: { n: 1 } } })).status, 200);
    const rec = await stream.next('x-news', 5000);
    assert.equal(JSON.parse(rec.data!).n, 1);
    stream.close();
  });
});
