import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { createProfiles, placeDriver, SEED_REQUEST, TRIP_ENV } from '../trips/fixtures.ts';

/** Records what arrives on a socket, in order, with the ack's arrival as "ack". */
function recorder(socket: Client): string[] {
  const seen: string[] = [];
  socket.onAny((event: string) => seen.push(event));
  return seen;
}

describe('the sender is answered before anything its event caused fans out', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => {
    server = await startServer(TRIP_ENV, { clock });
    await createProfiles(server, [
      { id: 'rf-p', role: 'passenger', name: 'Rider' },
      { id: 'rf-p2', role: 'passenger', name: 'Seed rider' },
      { id: 'rf-d', role: 'driver', name: 'Driver' },
    ]);
  });
  after(() => server.close());

  test('trip_request with an ack: the ack, and no second trip_request_sent; the user\'s other socket gets the event', async () => {
    placeDriver(server, 'rf-d', clock);
    const [phone, tablet] = [await server.client('rf-p', 'passenger'), await server.client('rf-p', 'passenger')];
    const onPhone = recorder(phone);
    const onTablet = next(tablet, 'trip_request_sent');
    const answer = await request<{ tripId: string }>(phone, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success, JSON.stringify(answer));
    assert.deepEqual(await onTablet, answer.data);
    // Give a duplicate every chance to arrive: the tablet's copy already has.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(onPhone.filter((e) => e === 'trip_request_sent'), []);
    // The passenger's trip room: the cancel's ack comes before the room's trip:updated and trip:cancelled.
    assert.ok((await request(phone, 'join_trip', { tripId: answer.data.tripId })).success);
    const order: string[] = [];
    phone.onAny((event: string) => order.push(event));
    // The ack callback itself (not a promise continuation, which would run after frames read in the same chunk).
    const cancelled = await new Promise<{ success: boolean }>((resolve) => {
      (phone.emit as (ev: string, p: unknown, ack: (a: { success: boolean }) => void) => void)('trip_cancel', { tripId: answer.data.tripId, reason: 'changed plans' }, (a) => {
        order.push('ack');
        resolve(a);
      });
    });
    assert.ok(cancelled.success, JSON.stringify(cancelled));
    await eventually(() => assert.ok(order.includes('trip:cancelled'), order.join()));
    assert.equal(order[0], 'ack', order.join());
  });

  test('a seed client without an ack gets trip_request_sent as an event', async () => {
    placeDriver(server, 'rf-d', clock);
    const seed = await server.client('rf-p2', 'passenger');
    const sent = next(seed, 'trip_request_sent');
    seed.emit('trip_request', SEED_REQUEST as never);
    const payload = await sent;
    assert.equal(payload.status, 'searching_driver');
  });
});
