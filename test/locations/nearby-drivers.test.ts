import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { NearbyDriversPayload } from '../../src/protocol/index.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfile, fix, LOCATION_ENV, north } from './fixtures.ts';

const CENTRE = { latitude: 15.5007, longitude: 32.5532 };
const VEHICLE = { make: 'Toyota', model: 'Corolla', year: 2020, color: 'White', plateNumber: 'KRT-1', type: 'sedan' };

describe('get_nearby_drivers (admin) → nearby_drivers, seed shape', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let admin: Client;
  const drivers: Record<string, Client> = {};

  const place = async (id: string, metres: number, extra: Record<string, unknown> = {}) => {
    const answer = await request(drivers[id]!, 'driver_location_update', fix(clock, north(CENTRE, metres), extra));
    assert.ok(answer.success, JSON.stringify(answer));
  };
  const ask = (query: Record<string, unknown> = {}) => request<NearbyDriversPayload>(admin, 'get_nearby_drivers', { location: CENTRE, radius: 5_000, limit: 20, ...query });
  const ids = (p: { success: boolean; data?: NearbyDriversPayload }) => (p.success ? p.data!.drivers.map((d) => d.driverId) : p);

  before(async () => {
    server = await startServer(LOCATION_ENV, { clock });
    await createProfile(server, { id: 'nb-near', role: 'driver', name: 'Mohamed Ali', rating: 4.9, vehicle: VEHICLE });
    await createProfile(server, { id: 'nb-mid', role: 'driver', name: 'Osman Idris', rating: 4.7, vehicle: { ...VEHICLE, plateNumber: 'KRT-2', type: 'suv' } });
    admin = await server.client('nb-admin', 'admin');
    for (const id of ['nb-near', 'nb-mid', 'nb-far', 'nb-stale', 'nb-busy']) drivers[id] = await server.client(id, 'driver');
    await place('nb-stale', 300);
    clock.advance(61_000); // DRIVER_STALE_AFTER_S = 60
    await place('nb-near', 150);
    await place('nb-mid', 2_000);
    await place('nb-far', 9_000);
    await place('nb-busy', 1_000, { isAvailable: false });
  });
  after(() => server.close());

  test('nearest first, within the radius, fresh only; the ack and the event carry the same payload', async () => {
    const event = next(admin, 'nearby_drivers');
    const answer = await ask();
    assert.ok(answer.success, JSON.stringify(answer));
    assert.deepEqual(await event, answer.data);
    assert.deepEqual(ids(answer), ['nb-near', 'nb-busy', 'nb-mid']);
    const near = answer.data.drivers[0]!;
    assert.deepEqual(near, {
      driverId: 'nb-near', name: 'Mohamed Ali', rating: 4.9,
      location: north(CENTRE, 150), distance: near.distance, isAvailable: true, vehicleType: 'sedan',
      lastUpdate: new Date(clock.now()).toISOString(),
    });
    assert.ok(Math.abs(near.distance - 150) <= 1, String(near.distance));
    assert.equal(answer.data.radius, 5_000);
    assert.deepEqual(answer.data.location, CENTRE);
    assert.equal(answer.data.timestamp, new Date(clock.now()).toISOString());
    // A driver without a profile still shows, with nulls.
    assert.deepEqual(answer.data.drivers[1]!.name, null);
    assert.equal(answer.data.drivers[2]!.vehicleType, 'suv');
  });

  test('limit, availableOnly and vehicleType narrow the answer', async () => {
    assert.deepEqual(ids(await ask({ limit: 1 })), ['nb-near']);
    assert.deepEqual(ids(await ask({ availableOnly: true })), ['nb-near', 'nb-mid']);
    assert.deepEqual(ids(await ask({ vehicleType: 'suv' })), ['nb-mid']);
    assert.deepEqual(ids(await ask({ radius: 10_000 })), ['nb-near', 'nb-busy', 'nb-mid', 'nb-far']);
  });

  test('update_availability: unavailable drivers are marked, offline drivers disappear, a location moves them', async () => {
    const answer = await request(drivers['nb-near']!, 'update_availability', { isAvailable: false, isOnline: true });
    assert.deepEqual(answer, { success: true, data: { isAvailable: false, isOnline: true, location: north(CENTRE, 150) } });
    const marked = await ask();
    assert.deepEqual(marked.success && marked.data.drivers.map((d) => [d.driverId, d.isAvailable]), [['nb-near', false], ['nb-busy', false], ['nb-mid', true]]);
    await request(drivers['nb-busy']!, 'update_availability', { isAvailable: true, isOnline: false });
    assert.deepEqual(ids(await ask()), ['nb-near', 'nb-mid']);
    clock.advance(30_000);
    await request(drivers['nb-busy']!, 'update_availability', { isAvailable: true, isOnline: true, location: north(CENTRE, 50) });
    assert.deepEqual(ids(await ask({ availableOnly: true })), ['nb-busy', 'nb-mid']);
  });

  test('bad queries and non-admins are refused', async () => {
    const bad = await ask({ radius: 0 });
    assert.equal(!bad.success && bad.error.code, 'VALIDATION_ERROR');
    const tooMany = await ask({ limit: 1_000 });
    assert.equal(!tooMany.success && tooMany.error.code, 'VALIDATION_ERROR');
    const passenger = await server.client('nb-p', 'passenger');
    const denied = await request(passenger, 'get_nearby_drivers', { location: CENTRE, radius: 5_000, limit: 20 });
    assert.equal(!denied.success && denied.error.code, 'FORBIDDEN');
  });
});
