import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient, LivegateError, type LivegateClient } from '@livegate/client';
import { startServer, type TestServer } from '../helpers/server.ts';
import { eventually } from '../helpers/eventually.ts';
import { NEAR_PICKUP, RIDE, nextEvent, sdkClient } from './sdk-helpers.ts';

let server: TestServer;
const clients: LivegateClient[] = [];
before(async () => {
  server = await startServer();
});
after(async () => {
  for (const c of clients) c.close();
  await server.close();
});

test('the tests exercise the built package (dist), not its source', () => {
  assert.match(import.meta.resolve('@livegate/client'), /packages\/client\/dist\/index\.js$/);
});

test('a rider requests a trip and a driver accepts it, with typed acknowledgements', async () => {
  const driver = await sdkClient(server, 'sdk-driver', 'driver', clients);
  const rider = await sdkClient(server, 'sdk-rider', 'passenger', clients);
  await driver.emit('driver_location_update', NEAR_PICKUP);
  const offered = nextEvent<{ tripId: string; pickupAddress: string }>((h) => driver.on('new_trip_available', h));
  const accepted = nextEvent<{ tripId: string; driverId: string }>((h) => rider.on('trip_accepted', h));
  const sent = await rider.emit('trip_request', RIDE);
  assert.equal(sent.status, 'searching_driver');
  const offer = await offered;
  assert.equal(offer.tripId, sent.tripId);
  const assignment = await driver.emit('trip_accept', { tripId: offer.tripId });
  assert.equal(assignment.passengerId, 'sdk-rider');
  assert.equal((await accepted).driverId, 'sdk-driver');
  assert.equal(rider.user?.userId, 'sdk-rider');
});

test('a refused request rejects with a typed LivegateError carrying the stable code', async () => {
  const driver = await sdkClient(server, 'sdk-driver-2', 'driver', clients);
  const forbidden = await driver.emit('trip_request', RIDE).catch((e: unknown) => e);
  assert.ok(forbidden instanceof LivegateError);
  assert.equal(forbidden.code, 'FORBIDDEN');
  const invalid = await driver.emit('trip_accept', { tripId: 'not-a-uuid' }).catch((e: unknown) => e);
  assert.ok(invalid instanceof LivegateError);
  assert.equal(invalid.code, 'VALIDATION_ERROR');
  assert.ok(invalid.message.length > 0);
});

test('emits made while offline wait in a bounded queue and go out after connecting', async () => {
  const client = await sdkClient(server, 'sdk-offline', 'passenger', clients, { autoConnect: false, offlineQueue: { max: 2, timeoutMs: 30_000 } });
  const first = client.emit('ping');
  const second = client.emit('notification:request-count');
  const third = client.emit('ping').catch((e: unknown) => e);
  const overflow = await third;
  assert.ok(overflow instanceof LivegateError);
  assert.equal(overflow.code, 'OFFLINE_QUEUE_FULL');
  assert.equal(client.queued, 2);
  client.connect();
  assert.match((await first).serverTime, /^\d{4}-/);
  assert.equal((await second).count, 0);
  assert.equal(client.queued, 0);
});

test('an emit that waits too long for a connection rejects with TIMEOUT, and close() rejects the rest', async () => {
  const client = createClient({ url: server.url, token: 'never-used', autoConnect: false, offlineQueue: { timeoutMs: 100 } });
  const timedOut = await client.emit('ping').catch((e: unknown) => e);
  assert.ok(timedOut instanceof LivegateError);
  assert.equal(timedOut.code, 'TIMEOUT');
  const pending = client.emit('ping').catch((e: unknown) => e);
  client.close();
  assert.equal(((await pending) as LivegateError).code, 'CLOSED');
});

test('the token is refreshed before it expires and the connection stays up', async () => {
  let issued = 0;
  const statuses: string[] = [];
  const token = () => {
    issued += 1;
    return server.token('sdk-refresh', 'passenger', { ttl: 3 });
  };
  const started = Date.now();
  const client = await sdkClient(server, 'sdk-refresh', 'passenger', clients, { token, refreshLeadMs: 1500 });
  client.onStatus((s) => statuses.push(s));
  // A fixed three-second token cannot be refreshed: the server disconnects it at `exp` (what the refreshes prevent).
  const refused: string[] = [];
  const fixed = createClient({ url: server.url, token: await server.token('sdk-fixed', 'passenger', { ttl: 3 }), transports: ['websocket'], onError: (e) => refused.push(e.code) });
  clients.push(fixed);
  await eventually(() => assert.ok(refused.includes('AUTH_FAILED') || refused.includes('TOKEN_EXPIRED'), `fixed token: ${refused.join()}`), 15_000, 100);
  await eventually(() => assert.ok(Date.now() - started > 5000 && issued >= 4, `${issued} tokens issued`), 15_000, 100);
  assert.deepEqual(statuses, []);
  assert.match((await client.emit('ping')).serverTime, /^\d{4}-/);
});
