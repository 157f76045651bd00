import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { NewTripAvailablePayload } from '../../src/protocol/index.ts';
import { distanceM } from '../../src/core/geo.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfiles, placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const twoPlaces = (n: number) => Math.round(n * 100) === n * 100;

describe('the seed 000 trip sequence with a passenger and two drivers', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let passenger: Client;
  let driver1: Client;
  let driver2: Client;
  let admin: Client;
  before(async () => {
    server = await startServer(TRIP_ENV, { clock });
    await createProfiles(server, [
      { id: 'flow-p', role: 'passenger', name: 'Ahmed Mohamed', phone: '+249111111111', rating: 4.8 },
      { id: 'flow-d1', role: 'driver', name: 'Mohamed Ali', phone: '+249123456789', rating: 4.9, vehicle: { make: 'Toyota', model: 'Corolla', year: 2020, color: 'White', plateNumber: 'KRT-1234' } },
      { id: 'flow-d2', role: 'driver', name: 'Osman Idris', rating: 4.7 },
    ]);
    placeDriver(server, 'flow-d1', clock, 200);
    placeDriver(server, 'flow-d2', clock, 400);
    [passenger, driver1, driver2, admin] = await Promise.all([
      server.client('flow-p', 'passenger'), server.client('flow-d1', 'driver'), server.client('flow-d2', 'driver'), server.client('flow-admin', 'admin'),
    ]);
  });
  after(() => server.close());

  test('request → offer to both → accept → the other gets trip_unavailable → arrived → started → completed', async () => {
    const requestedAt = clock.now();
    const offers = [next(driver1, 'new_trip_available'), next(driver2, 'new_trip_available')];
    // The ack carries `trip_request_sent`'s payload; the sender is not told twice (test/realtime/reply-first.test.ts).
    const answer = await request<{ tripId: string; status: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success, JSON.stringify(answer));
    const { tripId } = answer.data;
    assert.deepEqual(answer.data, { tripId, status: 'searching_driver', nearbyDriversCount: 2 });

    // new_trip_available: seed shape, server-side estimates, two minutes to accept.
    const [offer1, offer2] = (await Promise.all(offers)) as [NewTripAvailablePayload, NewTripAvailablePayload];
    assert.deepEqual(offer1, offer2);
    const road = distanceM(SEED_REQUEST.pickupLatitude, SEED_REQUEST.pickupLongitude, SEED_REQUEST.dropoffLatitude, SEED_REQUEST.dropoffLongitude) * 1.3;
    const minutes = (road / 1000 / 25) * 60;
    assert.deepEqual({ ...offer1, estimatedFare: 0, estimatedDistance: 0, estimatedDuration: 0 }, {
      tripId, passengerId: 'flow-p', passengerName: 'Ahmed Mohamed', passengerRating: 4.8,
      pickupAddress: SEED_REQUEST.pickupAddress, pickupLocation: { latitude: 15.5007, longitude: 32.5532 },
      dropoffAddress: SEED_REQUEST.dropoffAddress, dropoffLocation: { latitude: 15.5994, longitude: 32.5344 },
      estimatedFare: 0, estimatedDistance: 0, estimatedDuration: 0, tripType: 'standard', paymentMethod: 'wallet',
      notes: 'Please call when you arrive', requestTime: new Date(requestedAt).toISOString(), expiresAt: new Date(requestedAt + 120_000).toISOString(),
    });
    assert.equal(offer1.estimatedDistance, Math.round(road / 10) / 100);
    assert.equal(offer1.estimatedDuration, Math.ceil(minutes));
    // Tariff 5.00 + 1.20/km + 0.25/min, in minor units: the client's 25.50 is advisory.
    assert.ok(twoPlaces(offer1.estimatedFare));
    assert.ok(Math.abs(offer1.estimatedFare - (5 + 1.2 * (road / 1000) + 0.25 * minutes)) < 0.02, String(offer1.estimatedFare));

    // The passenger joins the room (join_trip), an admin subscribes with seed 001's bare tripId.
    const joined = await request<{ roomId: string }>(passenger, 'join_trip', { tripId });
    assert.ok(joined.success && joined.data.roomId === `trip:${tripId}`);
    assert.equal((await request(admin, 'subscribe:trip', tripId)).success, true);
    const roomUpdates = collect(admin, 'trip:updated') as { tripId: string; data: { status: string; previousStatus: string } }[];

    // First accept wins; the passenger gets the driver's profile, the other driver trip_unavailable.
    const accepted = next(passenger, 'trip_accepted');
    const unavailable = next(driver2, 'trip_unavailable');
    clock.advance(60_000);
    const acceptAnswer = await request(driver1, 'trip_accept', { tripId, estimatedArrival: 8, driverLocation: { latitude: 15.495, longitude: 32.55 } });
    assert.equal(acceptAnswer.success, true, JSON.stringify(acceptAnswer));
    assert.deepEqual(await accepted, {
      tripId, driverId: 'flow-d1', driverName: 'Mohamed Ali', driverRating: 4.9, driverPhone: '+249123456789',
      vehicleInfo: { make: 'Toyota', model: 'Corolla', year: 2020, color: 'White', plateNumber: 'KRT-1234', type: 'sedan' },
      // The server's own fix of the driver wins over the payload's.
      driverLocation: { latitude: 15.5007 + 200 * 0.000009, longitude: 32.5532 },
      estimatedArrival: 8, acceptedAt: new Date(clock.now()).toISOString(),
    });
    // The driver asked with an ack: it carries trip_assignment_confirmed's payload.
    assert.deepEqual(acceptAnswer.success && acceptAnswer.data, {
      tripId, passengerId: 'flow-p', passengerName: 'Ahmed Mohamed', passengerPhone: '+249111111111',
      pickupAddress: SEED_REQUEST.pickupAddress, pickupLocation: { latitude: 15.5007, longitude: 32.5532 },
      dropoffAddress: SEED_REQUEST.dropoffAddress, dropoffLocation: { latitude: 15.5994, longitude: 32.5344 },
      estimatedFare: offer1.estimatedFare, paymentMethod: 'wallet', notes: 'Please call when you arrive',
    });
    assert.deepEqual(await unavailable, { tripId, reason: 'accepted_by_another_driver' });

    // The loser, without an ack, is told why through trip_accept_failed.
    const failed = next(driver2, 'trip_accept_failed');
    driver2.emit('trip_accept', { tripId });
    assert.deepEqual({ ...(await failed), message: '' }, { tripId, code: 'TRIP_ALREADY_ACCEPTED', message: '' });

    const arrived = next(passenger, 'driver_arrived');
    clock.advance(7 * 60_000);
    assert.equal((await request(driver1, 'driver_arrived', { tripId, arrivalTime: new Date().toISOString() })).success, true);
    assert.deepEqual(await arrived, { tripId, status: 'driver_arrived', message: 'Your driver has arrived', arrivedAt: new Date(clock.now()).toISOString() });

    const started = next(passenger, 'trip_started');
    const roomStarted = next(admin, 'trip:started');
    clock.advance(3 * 60_000);
    const startedAt = clock.now();
    assert.equal((await request(driver1, 'trip_started', { tripId, startTime: new Date().toISOString(), startLocation: { latitude: 15.5007, longitude: 32.5532 } })).success, true);
    const startedPayload = await started;
    assert.equal(startedPayload.status, 'in_progress');
    assert.equal(startedPayload.message, 'Trip has started');
    assert.equal(startedPayload.startedAt, new Date(startedAt).toISOString());
    assert.match(startedPayload.estimatedArrival, ISO);
    assert.ok(Date.parse(startedPayload.estimatedArrival) > startedAt);
    assert.equal((await roomStarted).data.status, 'in_progress');

    // Completed after 25 minutes and 12.5 km: 5.00 + 12.5 × 1.20 + 25 × 0.25 = 26.25, payment pending.
    const completed = next(passenger, 'trip_completed');
    const roomCompleted = next(admin, 'trip:completed');
    clock.advance(25 * 60_000);
    const done = await request(driver1, 'trip_completed', { tripId, endTime: new Date().toISOString(), endLocation: { latitude: 15.5994, longitude: 32.5344 }, actualDistance: 12.5, actualDuration: 25 });
    assert.equal(done.success, true, JSON.stringify(done));
    const expected = { tripId, status: 'completed', message: 'Trip completed successfully', completedAt: new Date(clock.now()).toISOString(), actualFare: 26.25, actualDistance: 12.5, actualDuration: 25, paymentStatus: 'pending' };
    assert.deepEqual(await completed, expected);
    assert.ok(done.success && JSON.stringify(done.data) === JSON.stringify(expected));
    assert.equal((await roomCompleted).data.actualFare, 26.25);

    // Every state change after the joins reached the room, in order.
    await eventually(() => assert.deepEqual(roomUpdates.map((u) => u.data.status), ['accepted', 'driver_arrived', 'in_progress', 'completed']));
    assert.deepEqual(roomUpdates.map((u) => u.data.previousStatus), ['searching_driver', 'accepted', 'driver_arrived', 'in_progress']);

    const { status, body } = await server.api(`/api/trips/${tripId}`);
    assert.equal(status, 200);
    assert.equal(body.status, 'completed');
    assert.equal(body.driverId, 'flow-d1');
    assert.equal(body.actualFare, 26.25);
    assert.deepEqual(body.statusHistory.map((h: { from: string | null; to: string; actorRole: string }) => [h.from, h.to, h.actorRole]), [
      [null, 'searching_driver', 'passenger'],
      ['searching_driver', 'accepted', 'driver'],
      ['accepted', 'driver_arrived', 'driver'],
      ['driver_arrived', 'in_progress', 'driver'],
      ['in_progress', 'completed', 'driver'],
    ]);
    // The trip is over: the passenger may request again.
    const again = await request<{ tripId: string }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(again.success && again.data.tripId !== tripId);
    assert.equal((await request(passenger, 'trip_cancel', { tripId: again.data.tripId, reason: 'changed my mind' })).success, true);
  });
});
