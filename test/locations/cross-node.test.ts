import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { DriverLocationPayload, NearbyDriversPayload } from '../../src/protocol/index.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestServer } from '../helpers/server.ts';
import { createProfile, fix, LOCATION_ENV, north, startTrip } from './fixtures.ts';

const CENTRE = { latitude: 15.5007, longitude: 32.5532 };
const cluster = await startCluster(2, { ...LOCATION_ENV, POSITION_FEED_BATCH_MS: '20' });

describe('nearby drivers across nodes (Redis position feed)', { skip: cluster ? false : 'redis-server or PostgreSQL not found (see the warning above)' }, () => {
  const c = cluster as TestCluster;
  // Fix timestamps follow the real clock: the nodes run on it.
  const clock = new ManualClock();
  const now = () => (clock.set(Date.now()), clock);
  let node1: TestServer;
  let node2: TestServer;
  let driver: Client;
  let admin2: Client;

  const nearbyOn = async (admin: Client) => {
    const answer = await request<NearbyDriversPayload>(admin, 'get_nearby_drivers', { location: CENTRE, radius: 5_000, limit: 20 });
    assert.ok(answer.success, JSON.stringify(answer));
    return answer.data.drivers;
  };

  before(async () => {
    [node1, node2] = c.nodes as [TestServer, TestServer];
    await createProfile(node1, { id: 'xn-d', role: 'driver', name: 'Mohamed Ali', rating: 4.9 });
    driver = await node1.client('xn-d', 'driver');
    admin2 = await node2.client('xn-admin', 'admin');
  });
  after(() => c.close());

  test('a driver connected to node 1 is found by get_nearby_drivers on node 2', async () => {
    const answer = await request(driver, 'driver_location_update', fix(now(), north(CENTRE, 300)));
    assert.ok(answer.success, JSON.stringify(answer));
    const found = await eventually(async () => {
      const drivers = await nearbyOn(admin2);
      assert.deepEqual(drivers.map((d) => d.driverId), ['xn-d']);
      return drivers[0]!;
    });
    assert.equal(found.name, 'Mohamed Ali');
    assert.ok(Math.abs(found.distance - 300) <= 1);
    assert.equal(found.isAvailable, true);
  });

  test('availability and going offline reach the other node too', async () => {
    await request(driver, 'update_availability', { isAvailable: false, isOnline: true });
    await eventually(async () => assert.deepEqual((await nearbyOn(admin2)).map((d) => d.isAvailable), [false]));
    await request(driver, 'update_availability', { isAvailable: true, isOnline: false });
    await eventually(async () => assert.deepEqual(await nearbyOn(admin2), []));
    await request(driver, 'driver_location_update', fix(now(), north(CENTRE, 250), { isOnline: true, isAvailable: true }));
    await eventually(async () => assert.deepEqual((await nearbyOn(admin2)).map((d) => [d.driverId, d.isAvailable]), [['xn-d', true]]));
  });

  test('a vehicle type changed through node 2 reaches the index at once, without a new fix', async () => {
    const byType = async (vehicleType: string) => {
      const answer = await request<NearbyDriversPayload>(admin2, 'get_nearby_drivers', { location: CENTRE, radius: 5_000, limit: 20, vehicleType });
      assert.ok(answer.success, JSON.stringify(answer));
      return answer.data.drivers.map((d) => d.driverId);
    };
    const vehicle = (type: string) => ({ make: 'Toyota', model: 'Hiace', year: 2020, color: 'white', plateNumber: 'KH-1234', type });
    await createProfile(node2, { id: 'xn-d', role: 'driver', name: 'Mohamed Ali', rating: 4.9, vehicle: vehicle('sedan') });
    await request(driver, 'driver_location_update', fix(now(), north(CENTRE, 260)));
    await eventually(async () => assert.deepEqual(await byType('sedan'), ['xn-d']));
    await createProfile(node2, { id: 'xn-d', role: 'driver', name: 'Mohamed Ali', rating: 4.9, vehicle: vehicle('van') });
    await eventually(async () => assert.deepEqual(await byType('van'), ['xn-d']));
    assert.deepEqual(await byType('sedan'), []);
  });

  test('a node started later knows the drivers at once, before their next fix', async () => {
    const node3 = await c.addNode();
    const admin3 = await node3.client('xn-admin3', 'admin');
    await eventually(async () => assert.deepEqual((await nearbyOn(admin3)).map((d) => d.driverId), ['xn-d']));
  });

  test('a passenger on node 2 requests a trip, the driver on node 1 accepts, positions reach the passenger', async () => {
    const passenger = await node2.client('xn-p', 'passenger');
    const tripId = await startTrip(node2, now(), { passenger, driver, pickup: CENTRE, dropoff: north(CENTRE, 8_000), offsetM: 240 });
    const got = next(passenger, 'driver_location_update');
    const sent = fix(now(), north(CENTRE, 230));
    assert.equal((await request(driver, 'driver_location_update', sent)).success, true);
    const payload: DriverLocationPayload = await got;
    assert.deepEqual([payload.tripId, payload.driverId, payload.timestamp], [tripId, 'xn-d', sent.timestamp]);
    assert.equal(payload.estimatedArrival, 1);
  });

  test('the next trip\'s first position drops the former passenger (on node 2) from the driver\'s room; an admin there stays', async () => {
    const former = await node2.client('xn-p', 'passenger');
    const watcher = await node2.client('xn-admin-watch', 'admin');
    assert.equal((await request(watcher, 'join_driver_location', { driverId: 'xn-d' })).success, true);
    assert.equal((await request(former, 'join_driver_location', { driverId: 'xn-d' })).success, true);
    const onNode2 = (id: string) => node2.app.io.of('/').sockets.get(id)!;
    assert.equal(onNode2(former.id!).rooms.has('driver_location:xn-d'), true);
    // The current trip ends; a new passenger on node 1 gets the driver.
    const tripId = (await node1.app.activeTrips.ofDriver('xn-d'))!.tripId;
    for (const [event, payload] of [['driver_arrived', { tripId }], ['trip_started', { tripId, startTime: new Date().toISOString() }], ['trip_completed', { tripId, actualDistance: 0.1, actualDuration: 1 }]] as const) {
      const answer = await request(driver, event, payload as never);
      assert.equal(answer.success, true, `${event}: ${JSON.stringify(answer)}`);
    }
    await createProfile(node1, { id: 'xn-p2', role: 'passenger', name: 'Sara Osman' });
    const second = await node1.client('xn-p2', 'passenger');
    const secondTrip = await startTrip(node1, now(), { passenger: second, driver, pickup: north(CENTRE, 200), dropoff: north(CENTRE, 9_000), offsetM: 40 });
    const got = next(second, 'driver_location_update');
    assert.equal((await request(driver, 'driver_location_update', fix(now(), north(CENTRE, 245)))).success, true);
    assert.equal((await got as DriverLocationPayload).tripId, secondTrip);
    await eventually(() => assert.equal(onNode2(former.id!).rooms.has('driver_location:xn-d'), false));
    assert.equal(onNode2(watcher.id!).rooms.has('driver_location:xn-d'), true);
  });
});
