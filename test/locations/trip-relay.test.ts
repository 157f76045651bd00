import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { DriverLocationPayload } from '../../src/protocol/index.ts';
import { distanceM } from '../../src/core/geo.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfile, fix, LOCATION_ENV, north, startTrip } from './fixtures.ts';

const PICKUP = { latitude: 15.5007, longitude: 32.5532 };
const DROPOFF = { latitude: 15.5994, longitude: 32.5344 };

describe('a driver on a trip streams positions to the passenger', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let passenger: Client;
  let driver: Client;
  let stranger: Client;
  let admin: Client;
  let tripId: string;
  let strangerSaw: unknown[];

  before(async () => {
    server = await startServer(LOCATION_ENV, { clock });
    await createProfile(server, { id: 'rl-p', role: 'passenger', name: 'Ahmed Mohamed' });
    await createProfile(server, { id: 'rl-d', role: 'driver', name: 'Mohamed Ali', rating: 4.9 });
    [passenger, driver, stranger, admin] = await Promise.all([
      server.client('rl-p', 'passenger'), server.client('rl-d', 'driver'), server.client('rl-x', 'passenger'), server.client('rl-admin', 'admin'),
    ]);
    strangerSaw = collect(stranger, 'driver_location_update');
    tripId = await startTrip(server, clock, { passenger, driver, pickup: PICKUP, dropoff: DROPOFF, offsetM: 800 });
  });
  after(() => server.close());

  test('before the trip starts: distance and ETA to the pickup', async () => {
    clock.advance(5_000);
    const at = north(PICKUP, 600);
    const got = next(passenger, 'driver_location_update');
    const answer = await request<{ recordedAt: string; tripId: string }>(driver, 'driver_location_update', { ...fix(clock, at), tripId: 'a-trip-id-the-server-ignores' });
    assert.ok(answer.success, JSON.stringify(answer));
    assert.equal(answer.data.tripId, tripId);
    const payload = await got;
    const km = (distanceM(at.latitude, at.longitude, PICKUP.latitude, PICKUP.longitude) * 1.3) / 1000;
    assert.deepEqual(payload, {
      tripId,
      driverId: 'rl-d',
      location: { latitude: at.latitude, longitude: at.longitude, heading: 0, speed: 30 },
      // 600 m × 1.3 detour ≈ 0.78 km at 30 km/h ≈ 1.6 min → 2.
      estimatedArrival: 2,
      distance: Math.round(km * 100) / 100,
      timestamp: new Date(clock.now()).toISOString(),
    } satisfies DriverLocationPayload);
  });

  test('a slow or missing speed falls back to the urban default; the ETA is at least a minute', async () => {
    clock.advance(5_000);
    const got = next(passenger, 'driver_location_update');
    const ok = await request(driver, 'driver_location_update', fix(clock, north(PICKUP, 590), { location: { ...north(PICKUP, 590), speed: 0 } }));
    assert.ok(ok.success, JSON.stringify(ok));
    const slow = await got;
    // Smoothed speed 30 → 21 km/h is still plausible; 0.77 km at 21 km/h ≈ 2.2 min.
    assert.equal(slow.estimatedArrival, 3);
    clock.advance(60_000);
    const near = next(passenger, 'driver_location_update');
    await request(driver, 'driver_location_update', fix(clock, north(PICKUP, 20)));
    const arriving = await near;
    assert.equal(arriving.estimatedArrival, 1);
    assert.equal(arriving.distance, 0.03); // 20 m × 1.3
  });

  test('during the trip: distance and ETA to the drop-off', async () => {
    assert.equal((await request(driver, 'driver_arrived', { tripId })).success, true);
    assert.equal((await request(driver, 'trip_started', { tripId })).success, true);
    clock.advance(5_000);
    const at = north(PICKUP, 30);
    const got = next(passenger, 'driver_location_update');
    await request(driver, 'driver_location_update', fix(clock, at));
    const payload = await got;
    const km = (distanceM(at.latitude, at.longitude, DROPOFF.latitude, DROPOFF.longitude) * 1.3) / 1000;
    assert.equal(payload.distance, Math.round(km * 100) / 100);
    assert.ok(payload.distance > 13 && payload.distance < 15, String(payload.distance));
    assert.ok(payload.estimatedArrival >= 25 && payload.estimatedArrival <= 40, String(payload.estimatedArrival));
  });

  test('the driver-location room: the trip\'s passenger and admins may join, nobody else', async () => {
    const denied = await request(stranger, 'join_driver_location', { driverId: 'rl-d' });
    assert.equal(!denied.success && denied.error.code, 'ROOM_ACCESS_DENIED');
    const otherDriver = await server.client('rl-d2', 'driver');
    const alsoDenied = await request(otherDriver, 'join_driver_location', { driverId: 'rl-d' });
    assert.equal(!alsoDenied.success && alsoDenied.error.code, 'ROOM_ACCESS_DENIED');
    assert.deepEqual(await request(passenger, 'join_driver_location', { driverId: 'rl-d' }), { success: true, data: { driverId: 'rl-d' } });
    assert.equal((await request(admin, 'join_driver_location', { driverId: 'rl-d' })).success, true);

    clock.advance(5_000);
    const toAdmin = next(admin, 'driver_location_update');
    await request(driver, 'driver_location_update', fix(clock, north(PICKUP, 60)));
    assert.equal((await toAdmin).tripId, tripId);
  });

  test('a stranger never received a position', async () => {
    // Everything above has been delivered to the passenger; the stranger's socket saw none of it.
    assert.deepEqual(strangerSaw, []);
  });

  test('after the trip ends the former passenger is dropped from the room and sees nothing of the next trip', async () => {
    const passengerSaw = collect(passenger, 'driver_location_update') as DriverLocationPayload[];
    assert.equal((await request(driver, 'trip_completed', { tripId, actualDistance: 0.1, actualDuration: 1 })).success, true);
    await createProfile(server, { id: 'rl-p2', role: 'passenger', name: 'Sara Osman' });
    const next2 = await server.client('rl-p2', 'passenger');
    clock.advance(60_000);
    const secondTrip = await startTrip(server, clock, { passenger: next2, driver, pickup: north(PICKUP, 1_000), dropoff: DROPOFF, offsetM: 200 });
    clock.advance(5_000);
    const got = next(next2, 'driver_location_update');
    await request(driver, 'driver_location_update', fix(clock, north(PICKUP, 1_100)));
    assert.equal((await got).tripId, secondTrip);
    const serverSide = server.app.io.of('/').sockets.get(passenger.id!)!;
    await eventually(() => assert.equal(serverSide.rooms.has('driver_location:rl-d'), false));
    assert.deepEqual(passengerSaw.filter((p) => p.tripId === secondTrip), []);
  });
});
