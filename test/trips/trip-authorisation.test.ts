import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST, TRIP_ENV } from './fixtures.ts';

const codeOf = (answer: { success: boolean; error?: { code: string } }) => (answer.success ? 'ok' : answer.error!.code);

describe('who may do what to a trip', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let passenger: Client;
  let driver: Client;
  let otherDriver: Client;
  let stranger: Client;
  let tripId: string;
  before(async () => {
    server = await startServer(TRIP_ENV, { clock });
    [passenger, driver, otherDriver, stranger] = await Promise.all([
      server.client('az-p', 'passenger'), server.client('az-d', 'driver'), server.client('az-d2', 'driver'), server.client('az-stranger', 'passenger'),
    ]);
    placeDriver(server, 'az-d', clock, 100);
    placeDriver(server, 'az-d2', clock, 200);
    const answer = await request<{ tripId: string }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success);
    tripId = answer.data.tripId;
  });
  after(() => server.close());

  test('a passenger cannot send driver events, a driver cannot request trips', async () => {
    for (const event of ['trip_accept', 'trip_reject', 'driver_arrived', 'trip_started', 'trip_completed']) {
      assert.equal(codeOf(await request(passenger, event, { tripId })), 'FORBIDDEN', event);
    }
    assert.equal(codeOf(await request(driver, 'trip_request', SEED_REQUEST)), 'FORBIDDEN');
  });

  test('a second active trip is refused by the database, reported through trip_request_failed without an ack', async () => {
    assert.equal(codeOf(await request(passenger, 'trip_request', SEED_REQUEST)), 'ACTIVE_TRIP_EXISTS');
    const failed = next(passenger, 'trip_request_failed');
    passenger.emit('trip_request', SEED_REQUEST);
    assert.deepEqual(await failed, { message: 'An active trip already exists', code: 'ACTIVE_TRIP_EXISTS' });
  });

  test('payloads are validated: ranges, bounded strings, trip ids', async () => {
    const bad = [
      { ...SEED_REQUEST, pickupLatitude: 91 },
      { ...SEED_REQUEST, dropoffLongitude: Number.NaN },
      { ...SEED_REQUEST, pickupAddress: 'x'.repeat(301) },
      { ...SEED_REQUEST, tripType: 'helicopter' },
      { ...SEED_REQUEST, estimatedFare: -1 },
    ];
    for (const payload of bad) assert.equal(codeOf(await request(stranger, 'trip_request', payload)), 'VALIDATION_ERROR', JSON.stringify(payload).slice(0, 80));
    assert.equal(codeOf(await request(driver, 'trip_accept', { tripId: 'not-a-uuid' })), 'VALIDATION_ERROR');
    assert.equal(codeOf(await request(driver, 'trip_completed', { tripId, actualDistance: 1e9 })), 'VALIDATION_ERROR');
    assert.equal(codeOf(await request(stranger, 'join_trip', { tripId: "' OR 1=1 --" })), 'VALIDATION_ERROR');
  });

  test('a stranger cannot join the trip room; nor can a driver who only holds an offer', async () => {
    assert.equal(codeOf(await request(stranger, 'join_trip', { tripId })), 'ROOM_ACCESS_DENIED');
    assert.equal(codeOf(await request(stranger, 'subscribe:trip', tripId)), 'ROOM_ACCESS_DENIED');
    assert.equal(codeOf(await request(otherDriver, 'join_trip', { tripId })), 'ROOM_ACCESS_DENIED');
    // An unknown trip is refused the same way: no way to probe which ids exist.
    assert.equal(codeOf(await request(stranger, 'join_trip', { tripId: '00000000-0000-4000-8000-000000000000' })), 'ROOM_ACCESS_DENIED');
    assert.equal(codeOf(await request(passenger, 'join_trip', { tripId })), 'ok');
    assert.equal(codeOf(await request(passenger, 'subscribe:trip', { tripId })), 'ok', 'the object form is accepted too');
    const serverSide = server.app.io.of('/').adapter.rooms.get(`trip:${tripId}`);
    assert.deepEqual([...(serverSide ?? [])], [passenger.id]);
  });

  test('a driver cannot act on a trip that is not assigned to it', async () => {
    assert.equal(codeOf(await request(driver, 'trip_accept', { tripId })), 'ok');
    for (const event of ['driver_arrived', 'trip_started', 'trip_completed', 'trip_cancel']) {
      assert.equal(codeOf(await request(otherDriver, event, { tripId })), 'FORBIDDEN', event);
    }
    assert.equal(codeOf(await request(stranger, 'trip_cancel', { tripId })), 'FORBIDDEN');
    // Out of order: the transition table refuses it.
    assert.equal(codeOf(await request(driver, 'trip_started', { tripId })), 'INVALID_STATE');
    assert.equal(codeOf(await request(driver, 'trip_completed', { tripId })), 'INVALID_STATE');
    assert.equal(codeOf(await request(driver, 'join_trip', { tripId })), 'ok');
  });

  test('after the start only an admin can cancel; both parties and the room hear it', async () => {
    assert.equal(codeOf(await request(driver, 'driver_arrived', { tripId })), 'ok');
    assert.equal(codeOf(await request(driver, 'trip_started', { tripId })), 'ok');
    assert.equal(codeOf(await request(passenger, 'trip_cancel', { tripId, reason: 'too slow' })), 'INVALID_STATE');
    assert.equal(codeOf(await request(driver, 'trip_cancel', { tripId })), 'INVALID_STATE');
    // HTTP: admin or service only.
    const asPassenger = await server.api(`/api/trips/${tripId}/cancel`, { body: { reason: 'x' }, token: await server.token('az-p', 'passenger') });
    assert.equal(asPassenger.status, 403);
    assert.equal((await server.api(`/api/trips/${tripId}`, { token: null })).status, 401);
    assert.equal((await server.api('/api/trips/not-a-uuid')).status, 400);
    assert.equal((await server.api('/api/trips/00000000-0000-4000-8000-000000000000')).status, 404);

    const toPassenger = next(passenger, 'trip_cancelled');
    const toDriver = next(driver, 'trip_cancelled');
    const room = collect(passenger, 'trip:cancelled');
    const res = await server.api(`/api/trips/${tripId}/cancel`, { body: { reason: 'Emergency stop' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'cancelled');
    const expected = { tripId, status: 'cancelled', cancelledBy: 'admin', reason: 'Emergency stop', cancelledAt: new Date(clock.now()).toISOString() };
    assert.deepEqual(await toPassenger, expected);
    assert.deepEqual(await toDriver, expected);
    await eventually(() => assert.deepEqual(room, [{ tripId, reason: 'Emergency stop' }]));
    assert.equal((await server.api(`/api/trips/${tripId}/cancel`, { body: {} })).status, 409, 'a finished trip cannot be cancelled');
  });

  test('a passenger cancelling before the start tells the driver; offered drivers hear trip_unavailable', async () => {
    const searching = await request<{ tripId: string }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(searching.success);
    const withdrawn = next(otherDriver, 'trip_unavailable');
    assert.equal(codeOf(await request(passenger, 'trip_cancel', { tripId: searching.data.tripId, reason: 'found a taxi' })), 'ok');
    assert.deepEqual(await withdrawn, { tripId: searching.data.tripId, reason: 'cancelled' });

    const next1 = await request<{ tripId: string }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(next1.success);
    assert.equal(codeOf(await request(driver, 'trip_accept', { tripId: next1.data.tripId })), 'ok');
    const toDriver = next(driver, 'trip_cancelled');
    const answer = await request(passenger, 'trip_cancel', { tripId: next1.data.tripId, reason: 'changed plans' });
    assert.equal(codeOf(answer), 'ok');
    assert.deepEqual({ ...(await toDriver), cancelledAt: '' }, { tripId: next1.data.tripId, status: 'cancelled', cancelledBy: 'passenger', reason: 'changed plans', cancelledAt: '' });
    assert.equal(codeOf(await request(passenger, 'trip_cancel', { tripId: next1.data.tripId })), 'INVALID_STATE');
  });

  test('the trip routes are in the OpenAPI document', async () => {
    const { body } = await server.api('/openapi.json');
    assert.ok(body.paths['/api/trips/{id}']?.get);
    assert.ok(body.paths['/api/trips/{id}/cancel']?.post);
  });
});
