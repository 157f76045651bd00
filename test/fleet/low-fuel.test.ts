import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { freshDatabase } from '../helpers/cluster.ts';
import { LOCATION_ENV } from '../locations/fixtures.ts';

describe('vehicle:low-fuel: once per drop below VEHICLE_LOW_FUEL_PERCENT, re-armed above VEHICLE_FUEL_REARM_PERCENT', () => {
  let server: TestServer;
  let admin: Client;
  let alerts: { vehicleId: string; fuelLevel: number }[];
  const report = async (vehicleId: string, fuelLevel: number) => {
    const res = await server.api(`/api/vehicles/${vehicleId}/telemetry`, { body: { fuelLevel } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  /** Waits until the emits of everything sent so far had a chance to arrive: a marker event after them. */
  const settle = async () => {
    const marker = `marker-${Math.random()}`;
    const seen = collect(admin, 'vehicle:updated') as { vehicleId: string }[];
    await server.api('/api/vehicles', { body: { id: marker, plateNumber: marker.slice(0, 20) } });
    await eventually(() => assert.ok(seen.some((e) => e.vehicleId === marker), 'seen.some((e) => e.vehicleId === marker)'));
  };

  before(async () => {
    server = await startServer({ ...LOCATION_ENV, VEHICLE_LOW_FUEL_PERCENT: '15', VEHICLE_FUEL_REARM_PERCENT: '20' });
    admin = await server.client('lf-admin', 'admin');
    assert.equal((await request(admin, 'subscribe:tracking')).success, true);
    alerts = collect(admin, 'vehicle:low-fuel') as typeof alerts;
    for (const id of ['lf-1', 'lf-2', 'lf-3']) await server.api('/api/vehicles', { body: { id, plateNumber: id.toUpperCase(), fuelLevel: 60 } });
  });
  after(() => server.close());

  test('dips and wobbles around the threshold alert once; only a rise above the re-arm mark allows another', async () => {
    for (const level of [50, 14, 13, 16, 14.5, 19.9, 12]) await report('lf-1', level);
    await settle();
    assert.deepEqual(alerts.filter((a) => a.vehicleId === 'lf-1'), [{ vehicleId: 'lf-1', fuelLevel: 14 }]);
    for (const level of [25, 10]) await report('lf-1', level);
    await settle();
    assert.deepEqual(alerts.filter((a) => a.vehicleId === 'lf-1').map((a) => a.fuelLevel), [14, 10]);
  });

  test('twenty concurrent low reports alert exactly once (the flag is flipped by one conditional update)', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => report('lf-2', 5 + (i % 5))));
    await settle();
    assert.equal(alerts.filter((a) => a.vehicleId === 'lf-2').length, 1);
  });

  test('the alarm state is stored: PATCH with a low fuel level alerts, a vehicle created low alerts once', async () => {
    const patched = await server.api('/api/vehicles/lf-3', { method: 'PATCH', body: { fuelLevel: 3 } });
    assert.equal(patched.status, 200);
    await server.api('/api/vehicles', { body: { id: 'lf-4', plateNumber: 'LF-4', fuelLevel: 8 } });
    await report('lf-4', 7);
    await settle();
    assert.deepEqual(alerts.filter((a) => a.vehicleId === 'lf-3' || a.vehicleId === 'lf-4'), [{ vehicleId: 'lf-3', fuelLevel: 3 }, { vehicleId: 'lf-4', fuelLevel: 8 }]);
    const { rows } = await server.app.db.query<{ id: string; low_fuel_alerted: boolean }>("SELECT id, low_fuel_alerted FROM vehicles WHERE id LIKE 'lf-%' ORDER BY id");
    assert.deepEqual(rows.map((r) => r.low_fuel_alerted), [true, true, true, true]);
  });

  test('a driver subscribed to their vehicle gets the alert too', async () => {
    await server.api('/api/vehicles', { body: { id: 'lf-5', plateNumber: 'LF-5', driverId: 'lf-driver', fuelLevel: 40 } });
    const driver = await server.client('lf-driver', 'driver');
    assert.equal((await request(driver, 'subscribe:vehicle', 'lf-5')).success, true);
    const mine = collect(driver, 'vehicle:low-fuel');
    await report('lf-5', 9);
    await eventually(() => assert.deepEqual(mine, [{ vehicleId: 'lf-5', fuelLevel: 9 }]));
  });
});

// The same race on a real PostgreSQL, where the reports really run in parallel on a pool.
const databaseUrl = await freshDatabase();
describe('vehicle:low-fuel on PostgreSQL: concurrent reports on a connection pool', { skip: databaseUrl ? false : 'PostgreSQL binaries not found (see the warning above)' }, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ ...LOCATION_ENV, DATABASE_URL: databaseUrl!, DATABASE_POOL_SIZE: '8' });
  });
  after(() => server.close());

  test('forty concurrent low reports over eight connections alert exactly once', async () => {
    const admin = await server.client('pg-admin', 'admin');
    await request(admin, 'subscribe:tracking');
    const alerts = collect(admin, 'vehicle:low-fuel');
    const updates = collect(admin, 'vehicle:updated') as { vehicleId: string }[];
    await server.api('/api/vehicles', { body: { id: 'pg-1', plateNumber: 'PG-1', fuelLevel: 60 } });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => server.api('/api/vehicles/pg-1/telemetry', { body: { fuelLevel: 2 + (i % 10) } })));
    assert.ok(results.every((r) => r.status === 200));
    await server.api('/api/vehicles', { body: { id: 'pg-marker', plateNumber: 'PG-M' } });
    await eventually(() => assert.ok(updates.some((u) => u.vehicleId === 'pg-marker'), 'updates.some((u) => u.vehicleId === \'pg-marker\')'));
    assert.equal(alerts.length, 1);
  });
});
