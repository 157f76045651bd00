import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { FleetLocation, VehicleView } from '../../src/protocol/index.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { fix, LOCATION_ENV, north } from '../locations/fixtures.ts';

const DEPOT = { latitude: 24.7136, longitude: 46.6753 };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('fleet vehicles (seed 001): HTTP API, subscriptions, telemetry, tracking', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let admin: Client;
  let driver: Client;
  let otherDriver: Client;
  const iso = (offsetMs = 0) => new Date(clock.now() + offsetMs).toISOString();

  before(async () => {
    server = await startServer({ ...LOCATION_ENV, LOCATION_MIN_INTERVAL_MS: '0', VEHICLE_TRACKING_INTERVAL_MS: '1000' }, { clock });
    [admin, driver, otherDriver] = await Promise.all([server.client('fl-admin', 'admin'), server.client('fl-d', 'driver'), server.client('fl-d2', 'driver')]);
  });
  after(() => server.close());

  test('POST /api/vehicles registers a vehicle; the id, the plate and a driver are unique', async () => {
    const created = await server.api('/api/vehicles', { body: { id: 'veh-1', plateNumber: 'RUH-1001', fuelLevel: 80 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual({ ...created.body, createdAt: 'x', updatedAt: 'x' }, {
      id: 'veh-1', plateNumber: 'RUH-1001', type: 'sedan', status: 'active', driverId: null, fuelLevel: 80,
      currentLocation: null, lastUpdate: null, createdAt: 'x', updatedAt: 'x',
    } satisfies VehicleView);
    assert.equal((await server.api('/api/vehicles', { body: { id: 'veh-1', plateNumber: 'RUH-9' } })).status, 409);
    assert.equal((await server.api('/api/vehicles', { body: { id: 'veh-9', plateNumber: 'RUH-1001' } })).status, 409);
    assert.equal((await server.api('/api/vehicles', { body: { id: 'veh-2', plateNumber: 'RUH-1002', type: 'van', driverId: 'fl-d' } })).status, 201);
    const taken = await server.api('/api/vehicles', { body: { id: 'veh-3', plateNumber: 'RUH-1003', driverId: 'fl-d' } });
    assert.deepEqual([taken.status, taken.body.error.code], [409, 'CONFLICT']);
  });

  test('bad bodies, unknown ids and non-admin callers are refused', async () => {
    const bad = await server.api('/api/vehicles', { body: { id: 'veh-x', plateNumber: 'X', fuelLevel: 101 } });
    assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.details.field], [400, 'VALIDATION_ERROR', 'fuelLevel']);
    assert.equal((await server.api('/api/vehicles/nope')).status, 404);
    assert.equal((await server.api('/api/vehicles/nope', { method: 'PATCH', body: { status: 'idle' } })).status, 404);
    assert.equal((await server.api('/api/vehicles/veh-1', { method: 'PATCH', body: {} })).status, 400);
    assert.equal((await server.api('/api/vehicles', { token: null })).status, 401);
    assert.equal((await server.api('/api/vehicles', { token: await server.token('fl-d', 'driver') })).status, 403);
    const telemetry = await server.api('/api/vehicles/veh-1/telemetry', { body: { location: { lat: 91, lng: 0 } } });
    assert.equal(telemetry.status, 400);
  });

  test('subscribe:vehicle: admins and the assigned driver; bare id or { vehicleId }; NOT_FOUND for unknown ids', async () => {
    assert.deepEqual(await request(admin, 'subscribe:vehicle', 'veh-1'), { success: true, data: { vehicleId: 'veh-1' } });
    assert.equal((await request(driver, 'subscribe:vehicle', { vehicleId: 'veh-2' })).success, true);
    const notHis = await request(otherDriver, 'subscribe:vehicle', 'veh-2');
    assert.equal(!notHis.success && notHis.error.code, 'ROOM_ACCESS_DENIED');
    const unknown = await request(admin, 'subscribe:vehicle', 'no-such-vehicle');
    assert.equal(!unknown.success && unknown.error.code, 'NOT_FOUND');
    const passenger = await server.client('fl-p', 'passenger');
    const forbidden = await request(passenger, 'subscribe:vehicle', 'veh-1');
    assert.equal(!forbidden.success && forbidden.error.code, 'FORBIDDEN');
    const empty = await request(admin, 'subscribe:vehicle', '');
    assert.equal(!empty.success && empty.error.code, 'VALIDATION_ERROR');
  });

  test('PATCH /api/vehicles/:id emits vehicle:updated { vehicleId, data } to the vehicle room', async () => {
    const updated = next(admin, 'vehicle:updated');
    const res = await server.api('/api/vehicles/veh-1', { method: 'PATCH', body: { status: 'maintenance' } });
    assert.equal(res.status, 200);
    const payload = await updated;
    assert.equal(payload.vehicleId, 'veh-1');
    assert.deepEqual(payload.data, res.body);
    assert.equal(payload.data.status, 'maintenance');
  });

  test('telemetry: { lat, lng } or { latitude, longitude } in; vehicle:location in seed 001 shape out; tracking:update to `fleet`', async () => {
    assert.deepEqual(await request(admin, 'subscribe:tracking'), { success: true, data: { subscribed: true } });
    const location = next(admin, 'vehicle:location');
    const tracking = next(admin, 'tracking:update');
    clock.advance(1_000);
    const res = await server.api('/api/vehicles/veh-1/telemetry', { body: { location: { lat: 24.7136, lng: 46.6753, speed: 45 }, timestamp: iso() } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.applied, true);
    const expected: FleetLocation = { lat: 24.7136, lng: 46.6753, speed: 45, heading: null, timestamp: iso() };
    assert.deepEqual(await location, { vehicleId: 'veh-1', location: expected });
    assert.deepEqual(await tracking, { vehicleId: 'veh-1', location: expected });
    assert.deepEqual(res.body.vehicle.currentLocation, expected);

    clock.advance(1_000);
    const again = next(admin, 'vehicle:location');
    await server.api('/api/vehicles/veh-1/telemetry', { body: { location: { latitude: 24.72, longitude: 46.68, heading: 90 } } });
    assert.deepEqual((await again).location, { lat: 24.72, lng: 46.68, speed: null, heading: 90, timestamp: iso() });
  });

  test('an older report than one already applied changes nothing current (it is still history)', async () => {
    const before = (await server.api('/api/vehicles/veh-1')).body as VehicleView;
    const res = await server.api('/api/vehicles/veh-1/telemetry', { body: { location: { lat: 24.0, lng: 46.0 }, status: 'idle', timestamp: iso(-60_000) } });
    assert.deepEqual([res.status, res.body.applied], [200, false]);
    assert.deepEqual(res.body.vehicle.currentLocation, before.currentLocation);
    assert.equal(res.body.vehicle.status, before.status);
    const future = await server.api('/api/vehicles/veh-1/telemetry', { body: { fuelLevel: 50, timestamp: iso(3_600_000) } });
    assert.deepEqual([future.status, future.body.error.details.reason], [400, 'future']);
  });

  test('tracking:update at most once per vehicle per second, the latest position last', async () => {
    const seen = collect(admin, 'tracking:update') as { vehicleId: string; location: FleetLocation }[];
    const started = performance.now();
    let last = '';
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      last = iso();
      const res = await server.api('/api/vehicles/veh-1/telemetry', { body: { location: { lat: 24.72 + i * 0.0001, lng: 46.68 }, timestamp: last } });
      assert.equal(res.body.applied, true);
    }
    const elapsed = performance.now() - started;
    await eventually(() => assert.equal(seen.at(-1)?.location.timestamp, last), 3_000);
    assert.ok(seen.length <= 1 + Math.ceil(elapsed / 1_000), `${seen.length} updates in ${elapsed.toFixed(0)} ms`);
  });

  test('a driver assigned to a vehicle moves it: vehicle:location to its room, position and history stored', async () => {
    const moved = next(driver, 'vehicle:location');
    clock.advance(1_000);
    const at = north(DEPOT, 100);
    const answer = await request(driver, 'driver_location_update', fix(clock, at));
    assert.ok(answer.success, JSON.stringify(answer));
    assert.deepEqual(await moved, { vehicleId: 'veh-2', location: { lat: at.latitude, lng: at.longitude, speed: 30, heading: 0, timestamp: iso() } });
    await eventually(async () => {
      const vehicle = (await server.api('/api/vehicles/veh-2')).body as VehicleView;
      assert.deepEqual(vehicle.currentLocation, { lat: at.latitude, lng: at.longitude, speed: 30, heading: 0, timestamp: iso() });
    });
    await server.app.locations.history.writer.flush();
    const history = await server.api(`/api/vehicles/veh-2/history?from=${encodeURIComponent(iso(-60_000))}`);
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.points.map((p: { latitude: number }) => p.latitude), [at.latitude]);
    assert.match(history.body.points[0].recordedAt, ISO);
    assert.equal((await server.api('/api/vehicles/nope/history')).status, 404);
    assert.equal((await server.api('/api/vehicles/veh-2/history?limit=0')).status, 400);
  });

  test('reassigning a vehicle takes the old driver out of its room', async () => {
    const serverSide = server.app.io.of('/').sockets.get(driver.id!)!;
    assert.equal(serverSide.rooms.has('vehicle:veh-2'), true);
    const res = await server.api('/api/vehicles/veh-2', { method: 'PATCH', body: { driverId: 'fl-d2' } });
    assert.equal(res.body.driverId, 'fl-d2');
    await eventually(() => assert.equal(serverSide.rooms.has('vehicle:veh-2'), false));
    assert.equal((await request(otherDriver, 'subscribe:vehicle', 'veh-2')).success, true);
    assert.equal((await request(driver, 'subscribe:vehicle', 'veh-2')).success, false);
  });

  test('request:active-vehicles answers through the ack and with active-vehicles { vehicles }', async () => {
    const event = next(admin, 'active-vehicles');
    const answer = await request<{ vehicles: VehicleView[] }>(admin, 'request:active-vehicles');
    assert.ok(answer.success);
    assert.deepEqual(await event, answer.data);
    // veh-1 is in maintenance; veh-2 is active and has a position.
    assert.deepEqual(answer.data.vehicles.map((v) => v.id), ['veh-2']);
    assert.ok(answer.data.vehicles[0]!.currentLocation);
    const denied = await request(driver, 'request:active-vehicles');
    assert.equal(!denied.success && denied.error.code, 'FORBIDDEN');
  });
});
