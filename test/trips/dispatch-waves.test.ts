import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

type Sent = { success: true; data: { tripId: string; nearbyDriversCount: number } };

describe('dispatch waves, offer expiry and the search timeout (manual clock, sweep())', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer(TRIP_ENV, { clock })));
  after(() => server.close());
  // Every driver placed by an earlier test goes stale.
  beforeEach(() => clock.advance(61_000));

  const tripRequest = async (passenger: Client) => {
    const answer = await request(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success, JSON.stringify(answer));
    return (answer as Sent).data;
  };

  test('an unanswered wave expires after the offer TTL, the radius widens, then the search times out', async () => {
    const [passenger, near, mid, far, stale, off] = await Promise.all([
      server.client('w-p', 'passenger'), server.client('w-near', 'driver'), server.client('w-mid', 'driver'),
      server.client('w-far', 'driver'), server.client('w-stale', 'driver'), server.client('w-off', 'driver'),
    ]);
    const refresh = () => {
      placeDriver(server, 'w-near', clock, 1000);
      placeDriver(server, 'w-mid', clock, 4000);
      placeDriver(server, 'w-far', clock, 7000);
    };
    refresh();
    placeDriver(server, 'w-stale', clock, 500, clock.now() - 61_000);
    placeDriver(server, 'w-off', clock, 300);
    server.app.geo.setAvailability('w-off', false);
    const offers = Object.fromEntries([near, mid, far, stale, off].map((c, i) => [['near', 'mid', 'far', 'stale', 'off'][i]!, collect(c, 'new_trip_available')]));
    const unavailable = { near: collect(near, 'trip_unavailable'), mid: collect(mid, 'trip_unavailable'), far: collect(far, 'trip_unavailable') };

    const t0 = clock.now();
    const { tripId, nearbyDriversCount } = await tripRequest(passenger);
    assert.equal(nearbyDriversCount, 1, 'wave 1 (3 km): only the fresh, available driver within 3 km');
    await eventually(() => assert.equal(offers.near!.length, 1));

    clock.set(t0 + 119_000);
    refresh();
    assert.deepEqual(await server.app.trips.sweep(), { expired: 0, waves: 0 }, 'nothing is due before the TTL');

    clock.set(t0 + 121_000);
    refresh();
    assert.deepEqual(await server.app.trips.sweep(), { expired: 0, waves: 1 });
    await eventually(() => assert.equal(offers.mid!.length, 1), 3000);
    assert.deepEqual(unavailable.near, [{ tripId, reason: 'offer_expired' }]);
    const late = await request(near, 'trip_accept', { tripId });
    assert.equal(!late.success && late.error.code, 'OFFER_EXPIRED');

    clock.set(t0 + 242_000);
    refresh();
    assert.deepEqual(await server.app.trips.sweep(), { expired: 0, waves: 1 });
    await eventually(() => assert.equal(offers.far!.length, 1));
    // The last wave's offers end with the search, not a full TTL later.
    assert.equal((offers.far![0] as { expiresAt: string }).expiresAt, new Date(t0 + 300_000).toISOString());
    assert.deepEqual(unavailable.mid, [{ tripId, reason: 'offer_expired' }]);

    const expired = next(passenger, 'trip_expired');
    clock.set(t0 + 300_000);
    assert.deepEqual(await server.app.trips.sweep(), { expired: 1, waves: 0 });
    assert.deepEqual(await expired, { tripId, status: 'expired', reason: 'no_driver_accepted' });
    await eventually(() => assert.deepEqual(unavailable.far, [{ tripId, reason: 'expired' }]));
    const tooLate = await request(far, 'trip_accept', { tripId });
    assert.equal(!tooLate.success && tooLate.error.code, 'OFFER_EXPIRED');
    assert.equal(offers.near!.length + offers.mid!.length + offers.far!.length, 3, 'nobody is offered the same trip twice');
    assert.equal(offers.stale!.length + offers.off!.length, 0, 'stale and unavailable drivers are never offered');
    const { body } = await server.api(`/api/trips/${tripId}`);
    assert.equal(body.status, 'expired');
    assert.deepEqual(body.statusHistory.map((h: { to: string; actorRole: string }) => `${h.to}:${h.actorRole}`), ['searching_driver:passenger', 'expired:system']);
    // The passenger is free to ask again.
    assert.equal((await request(passenger, 'trip_cancel', { tripId: (await tripRequest(passenger)).tripId })).success, true);
  });

  test('a wave that finds nobody widens at once; at the widest radius it is retried soon', async () => {
    const [passenger, far] = await Promise.all([server.client('e-p', 'passenger'), server.client('e-far', 'driver')]);
    const offers = collect(far, 'new_trip_available');
    const first = await tripRequest(passenger);
    assert.equal(first.nearbyDriversCount, 0);
    placeDriver(server, 'e-far', clock, 4500);
    clock.advance(10_000);
    placeDriver(server, 'e-far', clock, 4500);
    const swept = await server.app.trips.sweep();
    assert.equal(swept.waves, 1);
    await eventually(() => assert.equal(offers.length, 1));
    assert.equal((offers[0] as { tripId: string }).tripId, first.tripId);
    assert.equal((await request(passenger, 'trip_cancel', { tripId: first.tripId })).success, true);
    // Found only at 5 km: the first answer already counts it (waves 1 and 2 in one go).
    const second = await tripRequest(passenger);
    assert.equal(second.nearbyDriversCount, 1);
    assert.equal((await request(passenger, 'trip_cancel', { tripId: second.tripId })).success, true);
  });

  test('when every offered driver rejects, the next wave starts at once and never re-offers them', async () => {
    const [passenger, r1, r2, r3] = await Promise.all([
      server.client('r-p', 'passenger'), server.client('r-1', 'driver'), server.client('r-2', 'driver'), server.client('r-3', 'driver'),
    ]);
    placeDriver(server, 'r-1', clock, 100);
    placeDriver(server, 'r-2', clock, 150);
    placeDriver(server, 'r-3', clock, 4200);
    const offers = [collect(r1, 'new_trip_available'), collect(r2, 'new_trip_available'), collect(r3, 'new_trip_available')];
    const { tripId, nearbyDriversCount } = await tripRequest(passenger);
    assert.equal(nearbyDriversCount, 2);
    const stranger = await request(r3, 'trip_reject', { tripId, reason: 'busy' });
    assert.equal(!stranger.success && stranger.error.code, 'NOT_FOUND', 'no offer, nothing to reject');
    assert.equal((await request(r1, 'trip_reject', { tripId, reason: 'too_far' })).success, true);
    assert.equal(offers[2]!.length, 0);
    assert.equal((await request(r2, 'trip_reject', { tripId })).success, true);
    await eventually(() => assert.equal(offers[2]!.length, 1));
    const again = await request(r1, 'trip_accept', { tripId });
    assert.equal(!again.success && again.error.code, 'INVALID_STATE');
    // Later waves skip both rejecters even though they are nearest.
    clock.advance(121_000);
    for (const [id, m] of [['r-1', 100], ['r-2', 150], ['r-3', 4200]] as const) placeDriver(server, id, clock, m);
    await server.app.trips.sweep();
    assert.deepEqual(offers.map((o) => o.length), [1, 1, 1]);
    assert.equal((await request(passenger, 'trip_cancel', { tripId })).success, true);
  });

  test('a driver on a trip gets no offers, even while the index still lists them as available', async () => {
    const [p1, p2, busy] = await Promise.all([server.client('b-p1', 'passenger'), server.client('b-p2', 'passenger'), server.client('b-d', 'driver')]);
    placeDriver(server, 'b-d', clock, 100);
    const first = await tripRequest(p1);
    assert.equal(first.nearbyDriversCount, 1);
    assert.equal((await request(busy, 'trip_accept', { tripId: first.tripId })).success, true);
    const offers = collect(busy, 'new_trip_available');
    const second = await tripRequest(p2);
    assert.equal(second.nearbyDriversCount, 0);
    // The first trip's own offer may still be on its way (stored, then sent): only the second trip's would be wrong.
    assert.equal((offers as Array<{ tripId: string }>).filter((o) => o.tripId === second.tripId).length, 0);
    assert.deepEqual(await server.app.activeTrips.ofDriver('b-d'), {
      tripId: first.tripId, passengerId: 'b-p1', driverId: 'b-d', status: 'accepted',
      pickup: { address: SEED_REQUEST.pickupAddress, latitude: SEED_REQUEST.pickupLatitude, longitude: SEED_REQUEST.pickupLongitude },
      dropoff: { address: SEED_REQUEST.dropoffAddress, latitude: SEED_REQUEST.dropoffLatitude, longitude: SEED_REQUEST.dropoffLongitude },
    });
    assert.equal(await server.app.activeTrips.canWatchDriver('b-p1', 'b-d'), true);
    assert.equal(await server.app.activeTrips.canWatchDriver('b-p2', 'b-d'), false);
    assert.equal((await request(p1, 'trip_cancel', { tripId: first.tripId })).success, true);
    assert.equal(await server.app.activeTrips.ofDriver('b-d'), null);
    assert.equal((await request(p2, 'trip_cancel', { tripId: second.tripId })).success, true);
  });
});
