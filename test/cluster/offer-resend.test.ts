import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { systemClock } from '../../src/core/clock.ts';
import type { NewTripAvailablePayload } from '../../src/protocol/index.ts';
import { request, type Client } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestServer } from '../helpers/server.ts';
import { placeDriver, SEED_REQUEST } from '../trips/fixtures.ts';

/**
 * Two nodes, one redis-server, one PostgreSQL. The passenger is on node 1,
 * the only nearby driver on node 2, so the offer has to cross Redis. When
 * that publish is lost the driver must still be shown the offer and be able
 * to accept it, long before the search (300 s) or the offer (120 s) ends.
 */
describe('trip offers lost between nodes are sent again', () => {
  let cluster: TestCluster | null = null;
  before(async () => (cluster = await startCluster(2, { TRIP_SWEEP_INTERVAL_MS: '200', TRIP_OFFER_RESEND_S: '1', RATE_LIMIT_DEFAULT: '100000/1' })));
  after(() => cluster?.close());
  const nodes = () => cluster!.nodes as [TestServer, TestServer];

  const requestTrip = async (passenger: Client) => {
    const answer = await request<{ tripId: string; nearbyDriversCount: number }>(passenger, 'trip_request', SEED_REQUEST);
    assert.ok(answer.success, JSON.stringify(answer));
    return answer.data;
  };

  const acceptAndCheck = async (driver: Client, driverId: string, tripId: string, node: TestServer) => {
    const accepted = await request(driver, 'trip_accept', { tripId });
    assert.ok(accepted.success, JSON.stringify(accepted));
    const { body } = await node.api(`/api/trips/${tripId}`);
    assert.deepEqual([body.status, body.driverId], ['accepted', driverId]);
  };

  test('a driver who connects to another node after the offer was made is sent it and can accept', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    await n1.api('/api/users', { body: { id: 'or-p1', role: 'passenger', name: 'Amna' } });
    const passenger = await n1.client('or-p1', 'passenger');
    placeDriver(n1, 'or-d1', systemClock, 200);
    // Whatever happens here, the next test's offer must have one candidate only.
    t.after(() => n1.app.geo.setAvailability('or-d1', false));
    const { tripId, nearbyDriversCount } = await requestTrip(passenger);
    assert.equal(nearbyDriversCount, 1, 'the passenger is told a driver was found');

    const driver = await signIn(n2, await n2.token('or-d1', 'driver'));
    const offer = await eventually(() => {
      assert.ok(driver.offers.length >= 1, 'no new_trip_available yet');
      return driver.offers[0]!;
    });
    assert.equal(offer.tripId, tripId);
    assert.equal(offer.passengerName, 'Amna');
    await acceptAndCheck(driver.socket, 'or-d1', tripId, n1);
    driver.socket.close();
  });

  test('an offer whose publish to Redis failed reaches the driver on the other node by the resend, and is accepted', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const passenger = await n1.client('or-p2', 'passenger');
    const driver = await signIn(n2, await n2.token('or-d2', 'driver'));
    placeDriver(n1, 'or-d2', systemClock, 200);
    const failuresBefore = publishFailures(await n1.api('/metrics'));

    // Redis goes away while the offer is made: node 1 cannot publish it to node 2.
    await cluster.redis.stop();
    // Nodes close cleanly only once they are back on Redis.
    t.after(async () => {
      await cluster!.redis.restart();
      for (const node of [n1, n2]) await eventually(async () => assert.equal((await node.api('/api/health')).body.checks.redis, 'up'), 15_000, 250);
    });
    const { tripId, nearbyDriversCount } = await requestTrip(passenger);
    assert.equal(nearbyDriversCount, 1);
    assert.ok(publishFailures(await n1.api('/metrics')) > failuresBefore, 'the offer to node 2 was lost');

    const offer = await eventually(() => {
      assert.ok(driver.offers.length >= 1, 'no new_trip_available yet');
      return driver.offers[0]!;
    }, 10_000, 100);
    assert.equal(offer.tripId, tripId);
    // Every copy is the same offer.
    for (const copy of driver.offers) assert.deepEqual(copy, offer);
    await acceptAndCheck(driver.socket, 'or-d2', tripId, n2);
    driver.socket.close();
  });
});

function publishFailures(res: { body: unknown }): number {
  const match = /^livegate_adapter_publish_failures_total (\d+)/m.exec(String(res.body));
  return match ? Number(match[1]) : 0;
}

/** A driver's socket collecting `new_trip_available` from before the handshake (the replay may follow `authenticated` at once). */
function signIn(node: TestServer, token: string): Promise<{ socket: Client; offers: NewTripAvailablePayload[] }> {
  const socket: Client = io(node.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  const offers: NewTripAvailablePayload[] = [];
  socket.on('new_trip_available', (p) => offers.push(p));
  return new Promise((resolve, reject) => {
    socket.once('authenticated', () => resolve({ socket, offers }));
    socket.once('connect_error', reject);
  });
}
