import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { GeofenceCrossingPayload, GeofenceView } from '../../src/protocol/index.ts';
import { collect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { DEG_PER_M, fix, LOCATION_ENV, north } from '../locations/fixtures.ts';

const DEPOT = { latitude: 24.7, longitude: 46.7 };
const MARGIN_M = 30;

type Crossing = GeofenceCrossingPayload & { kind: 'enter' | 'exit' };

describe('geofences: HTTP API and enter/exit without flapping', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let admin: Client;
  let fleetWatcher: Client;
  let driver: Client;
  let crossings: Crossing[];
  let circle: GeofenceView;

  const telemetry = async (vehicleId: string, at: { latitude: number; longitude: number }) => {
    clock.advance(1_000);
    const res = await server.api(`/api/vehicles/${vehicleId}/telemetry`, { body: { location: { lat: at.latitude, lng: at.longitude } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  /** A marker after everything sent so far: once it arrives, every earlier crossing has too. */
  const settle = async () => {
    const marker = `gf-marker-${Math.random().toString(36).slice(2, 10)}`;
    const seen = collect(fleetWatcher, 'vehicle:updated') as { vehicleId: string }[];
    await server.api('/api/vehicles', { body: { id: marker, plateNumber: marker.slice(-12) } });
    await eventually(() => assert.ok(seen.some((e) => e.vehicleId === marker), 'seen.some((e) => e.vehicleId === marker)'));
  };
  const kinds = (filter: (c: Crossing) => boolean) => crossings.filter(filter).map((c) => c.kind);

  before(async () => {
    server = await startServer({ ...LOCATION_ENV, GEOFENCE_MARGIN_M: String(MARGIN_M) }, { clock });
    [admin, fleetWatcher, driver] = await Promise.all([server.client('gf-admin', 'admin'), server.client('gf-fleet', 'admin'), server.client('gf-d', 'driver')]);
    assert.equal((await request(fleetWatcher, 'subscribe:tracking')).success, true);
    crossings = [];
    for (const kind of ['enter', 'exit'] as const) {
      (admin.on as (ev: string, fn: (p: GeofenceCrossingPayload) => void) => void)(`geofence:${kind}`, (p) => crossings.push({ ...p, kind }));
    }
    await server.api('/api/vehicles', { body: { id: 'gf-v', plateNumber: 'GF-V' } });
  });
  after(() => server.close());

  test('POST /api/geofences takes a circle or a GeoJSON polygon; GET lists; bad shapes are refused', async () => {
    const c = await server.api('/api/geofences', { body: { name: 'Depot', circle: { center: DEPOT, radiusM: 200 } } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    circle = c.body;
    assert.deepEqual({ ...circle, id: 'x', createdAt: 'x' }, { id: 'x', name: 'Depot', circle: { center: DEPOT, radiusM: 200 }, polygon: null, createdAt: 'x' });
    // GeoJSON order: [longitude, latitude]; a closed ring's repeated first corner is dropped.
    const square = [[46.71, 24.71], [46.72, 24.71], [46.72, 24.72], [46.71, 24.72], [46.71, 24.71]];
    const p = await server.api('/api/geofences', { body: { name: 'Market', polygon: square } });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    assert.deepEqual(p.body.polygon, square.slice(0, 4));
    const list = await server.api('/api/geofences');
    assert.deepEqual(list.body.geofences.map((g: GeofenceView) => g.name), ['Depot', 'Market']);

    const degenerate = await server.api('/api/geofences', { body: { name: 'Line', polygon: [[46.7, 24.7], [46.8, 24.8], [46.7, 24.7]] } });
    assert.equal(degenerate.status, 400);
    const swapped = await server.api('/api/geofences', { body: { name: 'Swapped', polygon: [[24.7, 146.7], [24.8, 146.7], [24.8, 146.8]] } });
    assert.equal(swapped.status, 400, 'latitude 146.7 is out of range: coordinates were given as [lat, lng]');
    assert.equal((await server.api('/api/geofences', { body: { name: 'Both', circle: { center: DEPOT, radiusM: 50 }, polygon: square } })).status, 400);
    assert.equal((await server.api('/api/geofences', { body: { name: 'Tiny', circle: { center: DEPOT, radiusM: 1 } } })).status, 400);
  });

  test('a vehicle track jittering ±20 m around the boundary enters once; leaving for good exits once', async () => {
    // From 400 m north of the centre to just inside the 200 m boundary, then GPS jitter across it.
    for (const m of [400, 300, 230]) await telemetry('gf-v', north(DEPOT, m));
    for (const m of [195, 215, 190, 212, 198, 218, 205, 185, 219]) await telemetry('gf-v', north(DEPOT, m));
    await settle();
    assert.deepEqual(kinds((c) => c.vehicleId === 'gf-v'), ['enter']);
    for (const m of [240, 300, 500]) await telemetry('gf-v', north(DEPOT, m));
    await settle();
    assert.deepEqual(kinds((c) => c.vehicleId === 'gf-v'), ['enter', 'exit']);
    const [enter, exit] = crossings.filter((c) => c.vehicleId === 'gf-v');
    assert.deepEqual({ ...enter!, timestamp: 'x' }, { kind: 'enter', geofenceId: circle.id, name: 'Depot', vehicleId: 'gf-v', location: north(DEPOT, 195), timestamp: 'x' });
    assert.equal(exit!.driverId, undefined);
    assert.ok(Math.abs(exit!.location.latitude - north(DEPOT, 240).latitude) < 1e-9);
  });

  test('a driver crossing a polygon: enter and exit to `fleet` and `admins`, jitter ignored', async () => {
    const fleetSaw = collect(fleetWatcher, 'geofence:enter');
    const edge = { latitude: 24.71, longitude: 46.715 }; // the polygon's south edge
    const south = (m: number) => ({ latitude: edge.latitude - m * DEG_PER_M, longitude: edge.longitude });
    for (const [i, m] of [100, 50, -5, 10, -10, 20, -3, 25, -20, -100].entries()) {
      clock.advance(10_000);
      const answer = await request(driver, 'driver_location_update', fix(clock, south(m)));
      assert.ok(answer.success, `fix ${i}: ${JSON.stringify(answer)}`);
    }
    await settle();
    await eventually(() => assert.deepEqual(kinds((c) => c.driverId === 'gf-d'), ['enter']));
    assert.equal(fleetSaw.length, 1, '`fleet` got it too');
    clock.advance(10_000);
    await request(driver, 'driver_location_update', fix(clock, south(40)));
    // A driver's crossing is decided after the fix is answered, on its own queue: wait for it rather than a marker.
    await eventually(() => assert.deepEqual(kinds((c) => c.driverId === 'gf-d'), ['enter', 'exit']));
  });

  test('a driver on a vehicle crosses with it: one event naming both', async () => {
    await server.api('/api/vehicles', { body: { id: 'gf-v2', plateNumber: 'GF-V2', driverId: 'gf-d2' } });
    const driver2 = await server.client('gf-d2', 'driver');
    const before = crossings.length;
    for (const m of [1_000, 500, 100]) {
      clock.advance(30_000);
      assert.equal((await request(driver2, 'driver_location_update', fix(clock, north(DEPOT, m)))).success, true);
    }
    await settle();
    // The driver's vehicle is looked up off the fix's answer path: wait for the crossing, then check it was the only one.
    await eventually(() => assert.ok(crossings.length > before, 'crossings.length > before'));
    await settle();
    const mine = crossings.slice(before);
    assert.deepEqual(mine.map((c) => [c.kind, c.name, c.driverId, c.vehicleId]), [['enter', 'Depot', 'gf-d2', 'gf-v2']]);
  });

  test('DELETE /api/geofences/:id: gone from the list and no more crossings', async () => {
    assert.equal((await server.api(`/api/geofences/${circle.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await server.api(`/api/geofences/${circle.id}`, { method: 'DELETE' })).status, 404);
    assert.deepEqual((await server.api('/api/geofences')).body.geofences.map((g: GeofenceView) => g.name), ['Market']);
    const before = crossings.length;
    for (const m of [500, 100, 0, 500]) await telemetry('gf-v', north(DEPOT, m));
    await settle();
    assert.equal(crossings.length, before);
  });
});
