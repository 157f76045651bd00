import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { connect, next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { openWs, wsAs } from './ws-client.ts';

const pickup = { pickupAddress: 'Khartoum University', pickupLatitude: 15.5007, pickupLongitude: 32.5532, dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: 15.5994, dropoffLongitude: 32.5344 };

describe('GET /ws: the event catalogue through the one router', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ MAX_PAYLOAD_BYTES: '4096', WS_PING_INTERVAL_MS: '200', WS_PING_TIMEOUT_MS: '200' })));
  after(() => server.close());

  test('a rider on /ws requests a trip a Socket.IO driver accepts: ack, offer and acceptance cross transports', async () => {
    const driver = await server.client('ws-drv', 'driver');
    const drv = await request(driver, 'driver_location_update', { location: { latitude: 15.5025, longitude: 32.5532 }, isAvailable: true });
    assert.equal(drv.success, true);
    const rider = await wsAs(server.url, await server.token('ws-rider', 'passenger'));
    const offer = next(driver, 'new_trip_available');
    const ack = await rider.request('trip_request', pickup);
    assert.equal(ack.success, true, JSON.stringify(ack));
    assert.equal(ack.data.status, 'searching_driver');
    const { tripId } = await offer;
    assert.equal(tripId, ack.data.tripId);
    assert.equal((await request(driver, 'trip_accept', { tripId })).success, true);
    const accepted = await rider.next('trip_accepted');
    assert.equal(accepted.data.tripId, tripId);
    rider.close();
    driver.close();
  });

  test('validation and authorisation failures carry the same codes as on Socket.IO', async () => {
    const rider = await wsAs(server.url, await server.token('ws-bad', 'passenger'));
    const invalid = await rider.request('trip_request', { pickupLatitude: 'north' });
    assert.equal(invalid.success, false);
    assert.equal(invalid.error?.code, 'VALIDATION_ERROR');
    const forbidden = await rider.request('driver_location_update', { location: { latitude: 1, longitude: 1 } });
    assert.equal(forbidden.error?.code, 'FORBIDDEN');
    const unknown = await rider.request('no_such_event', {});
    assert.equal(unknown.error?.code, 'UNKNOWN_EVENT');
    // Without an id the failure is the `error` event, as for a Socket.IO client without an ack.
    rider.send({ type: 'no_such_event' });
    const error = await rider.next('error');
    assert.equal(error.data.code, 'UNKNOWN_EVENT');
    assert.equal(error.data.event, 'no_such_event');
    rider.close();
  });

  test('ping → pong with the server time', async () => {
    const c = await wsAs(server.url, await server.token('ws-ping', 'passenger'));
    const before = Date.now();
    c.send({ type: 'ping' });
    const pong = await c.next('pong');
    assert.ok(pong.data.timestamp >= before && pong.data.timestamp <= Date.now());
    c.close();
  });

  test('malformed frames get a VALIDATION_ERROR error frame and the connection stays', async () => {
    const c = await wsAs(server.url, await server.token('ws-mal', 'passenger'));
    c.send('{not json');
    assert.equal((await c.next('error')).data.code, 'VALIDATION_ERROR');
    c.send('[1,2]');
    assert.equal((await c.next('error')).data.code, 'VALIDATION_ERROR');
    c.send({ data: {}, id: 'x1' });
    const ack = await c.next('ack');
    assert.equal(ack.id, 'x1');
    assert.equal(ack.error?.code, 'VALIDATION_ERROR');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await c.next('error')).data.code, 'VALIDATION_ERROR');
    c.send({ type: 'ping' });
    await c.next('pong');
    c.close();
  });

  test('a frame over MAX_PAYLOAD_BYTES closes the connection with 4009', async () => {
    const c = await wsAs(server.url, await server.token('ws-big', 'passenger'));
    c.send({ type: 'message:send', data: { roomId: 'r', content: 'x'.repeat(5000) } });
    assert.equal((await c.closed).code, 4009);
  });

  test('a peer that stops answering pings is terminated', async () => {
    const c = await openWs(server.url, { query: `?token=${await server.token('ws-dead', 'passenger')}`, autoPong: false });
    await c.next('authenticated');
    await eventually(() => assert.equal(server.app.io.of('/').adapter.rooms.has('user:ws-dead'), true));
    const { code } = await c.closed;
    assert.equal(code, 1006, 'terminated, no close frame');
    await eventually(() => assert.equal(server.app.io.of('/').adapter.rooms.has('user:ws-dead'), false));
  });

  test('a peer that answers pings stays', async () => {
    const c = await wsAs(server.url, await server.token('ws-alive', 'passenger'));
    let pings = 0;
    c.ws.on('ping', () => pings++);
    await eventually(() => assert.ok(pings >= 3, 'pings >= 3'), 3000);
    assert.equal(c.ws.readyState, WebSocket.OPEN);
    c.close();
  });
});

describe('GET /ws: shutdown', () => {
  test('server:shutdown, then close 1001; while draining a new /ws is closed 1001', async () => {
    const server = await startServer({ SHUTDOWN_DRAIN_MS: '3000' });
    // A Socket.IO client that stays keeps the node draining for a while.
    const stayer = await connect(server.url, { token: await server.token('ws-stay', 'passenger') });
    try {
      const c = await wsAs(server.url, await server.token('ws-bye', 'passenger'));
      const closing = server.close();
      assert.equal((await c.next('server:shutdown')).data.reconnect, true);
      const late = await openWs(server.url, { query: `?token=${await server.token('ws-late', 'passenger')}` });
      assert.equal((await late.closed).code, 1001);
      stayer.close();
      assert.equal((await c.closed).code, 1001);
      await closing;
    } finally {
      stayer.close();
      await server.close();
    }
  });
});
