import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import type { DashboardPositions, DashboardSnapshot } from '../../src/protocol/index.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** A real dashboard socket on `/admin`. */
function connectDashboard(url: string, token: string): Promise<Client> {
  const socket: Client = io(`${url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const BATCH_MS = 400;
const KHARTOUM = { latitude: 15.5007, longitude: 32.5599 };

/** `n` fixes a metre apart, a tenth of a second apart, ending a few seconds ago (all pass the location filter). */
function fixes(n: number, lane: number) {
  const start = Date.now() - 5_000;
  return Array.from({ length: n }, (_, i) => ({
    location: { latitude: KHARTOUM.latitude + lane * 0.001 + i * 0.00001, longitude: KHARTOUM.longitude, heading: 90 },
    timestamp: new Date(start + i * 100).toISOString(),
    isAvailable: true,
  }));
}

/** How many `dashboard:positions` this node has sent (Prometheus counter). */
async function batchesSent(server: TestServer): Promise<number> {
  const { body } = await server.api('/metrics');
  const line = String(body).split('\n').find((l) => l.startsWith('livegate_events_sent_total{') && l.includes('event="dashboard:positions"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('dashboard feed: coalesced position batches on /admin', () => {
  let server: TestServer;
  const sockets: Client[] = [];
  before(async () => (server = await startServer({ DASHBOARD_BATCH_MS: String(BATCH_MS), RATE_LIMIT_LOCATION: '0' })));
  after(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  test('nothing is sent while no dashboard watches', async () => {
    const driver = await server.client('feed-idle-driver', 'driver');
    for (const fix of fixes(5, 9)) assert.equal((await request(driver, 'driver_location_update', fix)).success, true);
    // Three batch intervals pass (the counter is read after each) without a batch.
    const deadline = Date.now() + 3 * BATCH_MS;
    while (Date.now() < deadline) assert.equal(await batchesSent(server), 0);
  });

  test('many fixes from many drivers arrive as a few batches carrying the newest position of each', async () => {
    const dashboard = await connectDashboard(server.url, await server.token('feed-admin', 'admin'));
    sockets.push(dashboard);
    const watched = await request<DashboardSnapshot>(dashboard, 'dashboard:watch');
    assert.ok(watched.success);
    assert.equal(watched.data.batchMs, BATCH_MS);

    const batches: DashboardPositions[] = [];
    dashboard.on('dashboard:positions', (b) => batches.push(b));
    const drivers = await Promise.all(Array.from({ length: 20 }, (_, i) => server.client(`feed-driver-${i}`, 'driver')));
    sockets.push(...drivers);
    const sent = drivers.map((_, i) => fixes(10, i));
    const started = Date.now();
    // 200 fixes, each driver's in order.
    await Promise.all(drivers.map(async (d, i) => {
      for (const fix of sent[i]!) assert.equal((await request(d, 'driver_location_update', fix)).success, true);
    }));
    const elapsed = Date.now() - started;

    await eventually(() => {
      for (let i = 0; i < drivers.length; i++) {
        const last = batches.flatMap((b) => b.drivers).filter((d) => d.id === `feed-driver-${i}`).at(-1);
        assert.ok(last, `feed-driver-${i} in a batch`);
        assert.equal(last.lat, sent[i]!.at(-1)!.location.latitude);
        assert.equal(last.state, 'available');
      }
    }, 5_000);
    // One batch per interval at most, whatever the number of fixes: 200 fixes became a handful of emits.
    const entries = batches.reduce((n, b) => n + b.drivers.length, 0);
    assert.ok(batches.length <= Math.ceil(elapsed / BATCH_MS) + 2, `${batches.length} batches in ${elapsed} ms`);
    assert.ok(entries < 200, `${entries} positions delivered for 200 fixes`);
    for (const b of batches) assert.equal(new Set(b.drivers.map((d) => d.id)).size, b.drivers.length, 'a driver appears once per batch');
  });

  test('the snapshot of a dashboard that starts watching holds the online drivers', async () => {
    const dashboard = await connectDashboard(server.url, await server.token('feed-admin-2', 'admin'));
    sockets.push(dashboard);
    const snapshot = next(dashboard, 'dashboard:snapshot');
    dashboard.emit('dashboard:watch');
    const { drivers } = await snapshot;
    assert.ok(drivers.some((d) => d.id === 'feed-driver-3'));
  });

  test('alerts raised and acknowledged reach the dashboard; dashboard:watch on / is refused', async () => {
    const dashboard = await connectDashboard(server.url, await server.token('feed-admin-3', 'admin'));
    sockets.push(dashboard);
    assert.ok((await request(dashboard, 'dashboard:watch')).success);
    const raised = next(dashboard, 'dashboard:alert');
    const created = await server.api('/api/alerts', { body: { severity: 'high', title: 'Breakdown', message: 'Engine failure', location: KHARTOUM } });
    assert.equal(created.status, 201);
    assert.deepEqual([(await raised).id, (await raised).status], [created.body.id, 'open']);
    const acknowledged = next(dashboard, 'dashboard:alert');
    assert.equal((await server.api(`/api/alerts/${created.body.id}/acknowledge`, { method: 'POST' })).status, 200);
    assert.equal((await acknowledged).status, 'acknowledged');

    const onDefault = await server.client('feed-admin-4', 'admin');
    const refused = await request(onDefault, 'dashboard:watch');
    assert.equal(refused.success === false && refused.error.code, 'FORBIDDEN');
  });
});
