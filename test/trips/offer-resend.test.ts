import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { ManualClock } from '../../src/core/clock.ts';
import type { NewTripAvailablePayload } from '../../src/protocol/index.ts';
import { collect, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST } from './fixtures.ts';

/**
 * Offers are shown again until answered or expired: on the sweeper's tick
 * (a real timer here, every 50 ms, against the injected clock) once
 * TRIP_OFFER_RESEND_S has passed since the last send, and to a driver's
 * socket as it signs in.
 */
describe('unanswered offers are sent again (manual clock, real sweeper tick)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer({ TRIP_SWEEP_INTERVAL_MS: '50', TRIP_OFFER_RESEND_S: '10', RATE_LIMIT_DEFAULT: '100000/1' }, { clock })));
  after(() => server.close());

  const requestTrip = async (passenger: Client) => {
    const answer = await request<{ tripId: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success, JSON.stringify(answer));
    return answer.data;
  };

  test('a resend on the tick after TRIP_OFFER_RESEND_S, same payload; none once rejected or accepted', async () => {
    const [passenger, d1, d2] = await Promise.all([server.client('rs-p', 'passenger'), server.client('rs-d1', 'driver'), server.client('rs-d2', 'driver')]);
    placeDriver(server, 'rs-d1', clock, 200);
    placeDriver(server, 'rs-d2', clock, 400);
    const seen = { d1: collect(d1, 'new_trip_available') as NewTripAvailablePayload[], d2: collect(d2, 'new_trip_available') as NewTripAvailablePayload[] };
    const t0 = clock.now();
    const { tripId, nearbyDriversCount } = await requestTrip(passenger);
    assert.equal(nearbyDriversCount, 2);
    await eventually(() => assert.deepEqual([seen.d1.length, seen.d2.length], [1, 1]));

    clock.set(t0 + 5_000);
    assert.equal(await server.app.trips.resendOffers(), 0, 'nothing is due before TRIP_OFFER_RESEND_S');
    assert.equal((await request(d2, 'trip_reject', { tripId, reason: 'busy' })).success, true);

    clock.set(t0 + 11_000);
    await eventually(() => assert.equal(seen.d1.length, 2), 3000);
    assert.deepEqual(seen.d1[1], seen.d1[0], 'the same offer: same tripId, same expiresAt');
    assert.equal(seen.d1[1]!.tripId, tripId);

    clock.set(t0 + 15_000);
    assert.equal(await server.app.trips.resendOffers(), 0, 'sent again at most every TRIP_OFFER_RESEND_S');
    clock.set(t0 + 22_000);
    await eventually(() => assert.equal(seen.d1.length, 3), 3000);

    const accepted = await request(d1, 'trip_accept', { tripId });
    assert.ok(accepted.success, JSON.stringify(accepted));
    clock.set(t0 + 60_000);
    assert.equal(await server.app.trips.resendOffers(), 0, 'an accepted trip is not offered again');
    await request(d1, 'ping');
    await request(d2, 'ping');
    assert.equal(seen.d1.length, 3);
    assert.equal(seen.d2.length, 1, 'a rejected offer is never sent again');
  });

  test('a driver who signs in while an offer waits for them is sent it at once; an expired one is not', async () => {
    clock.advance(61_000); // the first test's drivers go stale
    const passenger = await server.client('rs2-p', 'passenger');
    placeDriver(server, 'rs2-d', clock, 200);
    const t0 = clock.now();
    const { tripId, nearbyDriversCount } = await requestTrip(passenger);
    assert.equal(nearbyDriversCount, 1, 'offered to a driver with no socket (the emit reached nobody)');

    // Listening from before the handshake: the replay may follow `authenticated` at once.
    const driver = await signIn(server, await server.token('rs2-d', 'driver'));
    await eventually(() => assert.equal(driver.offers.length, 1));
    assert.equal(driver.offers[0]!.tripId, tripId);
    assert.equal(driver.offers[0]!.expiresAt, new Date(t0 + 120_000).toISOString());
    // The offer is also in the driver's durable stream. Usually it was stored before the socket came, and
    // a resume from the start brings the stored copy to this same socket now; on a loaded machine its live
    // delivery reached the new socket first (nothing to replay) and the sign-in copy was the one held back.
    // Either way the connection shows the offer once.
    const resumed = await request<{ replayed: number }>(driver.socket, 'stream:resume', { seq: 0 });
    assert.ok(resumed.success, JSON.stringify(resumed));
    await request(driver.socket, 'ping');
    assert.equal(driver.offers.length, 1, 'an offer reaches a connection once by the sign-in replay and the stream');
    driver.socket.close();

    clock.set(t0 + 121_000);
    await server.app.trips.sweep();
    assert.deepEqual(await server.app.trips.pendingOffersFor('rs2-d'), [], 'an offer that expired is not replayed');
  });
});

/** A driver's socket with a listener for `new_trip_available` from before the handshake; resolves once authenticated. */
function signIn(server: TestServer, token: string): Promise<{ socket: Client; offers: NewTripAvailablePayload[] }> {
  const socket: Client = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const offers: NewTripAvailablePayload[] = [];
  socket.on('new_trip_available', (p) => offers.push(p));
  return new Promise((resolve, reject) => {
    socket.once('authenticated', () => resolve({ socket, offers }));
    socket.once('connect_error', reject);
  });
}
