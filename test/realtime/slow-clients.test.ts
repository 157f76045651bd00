import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DriverLocationPayload } from '../../src/protocol/index.ts';
import { Delivery } from '../../src/realtime/delivery.ts';
import { rooms } from '../../src/realtime/types.ts';
import { collect, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** A position payload; only `timestamp` matters here (it numbers the deliveries). */
const position = (n: number, pad = ''): DriverLocationPayload => ({
  tripId: 't', driverId: 'd', location: { latitude: 15.5, longitude: 32.5, accuracy: 5, heading: 0, speed: 30 },
  timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)).toISOString(), estimatedArrival: 3, distance: 1.2, address: pad,
} as unknown as DriverLocationPayload);

/** The ws socket under a socket.io-client connection, to stop and resume reading it. */
function tcpOf(client: Client): { pause(): void; resume(): void } {
  const engine = client.io.engine as unknown as { transport: { ws: { _socket: { pause(): void; resume(): void } } } };
  return engine.transport.ws._socket;
}

describe('positions skip clients that are behind, and only those', () => {
  let server: TestServer;
  let delivery: Delivery;
  let fast: Client;
  let stalled: Client;

  before(async () => {
    server = await startServer();
    delivery = new Delivery(server.app.io, server.app.metrics);
    [fast, stalled] = await Promise.all([server.client('sc-fast', 'admin'), server.client('sc-stalled', 'admin')]);
    // The rooms a watcher of two drivers is in.
    server.app.io.in([fast.id!, stalled.id!]).socketsJoin([rooms.driverLocation('a'), rooms.driverLocation('b')]);
    // A room only the stalled client watches, to flood it without flooding the fast one.
    server.app.io.in(stalled.id!).socketsJoin(rooms.driverLocation('c'));
  });
  after(() => server.close());

  test('a fast client in two rooms receives every position, even many in one event-loop turn', async () => {
    // Socket.IO's `volatile` would send only the first of these (the transport is busy until the first write completes).
    const got = collect(fast, 'driver_location_update') as DriverLocationPayload[];
    for (let i = 0; i < 40; i++) delivery.volatileTo(rooms.driverLocation(i % 2 ? 'a' : 'b'), 'driver_location_update', position(i));
    await eventually(() => assert.equal(got.length, 40));
    assert.deepEqual(got.map((p) => p.timestamp), Array.from({ length: 40 }, (_, i) => position(i).timestamp));
  });

  test('a client that stops reading is skipped once its backlog is over the limit, and served again once drained', async () => {
    const tcp = tcpOf(stalled);
    tcp.pause();
    const pad = 'x'.repeat(4_000);
    const slow = server.app.slowClients;
    // Fill the kernel buffers and then the server-side backlog (bounded: at most 64 MB).
    let sent = 0;
    while (slow.count === 0 && sent < 16_000) {
      for (let i = 0; i < 500; i++) delivery.volatileTo(rooms.driverLocation('c'), 'driver_location_update', position(sent++, pad));
      await new Promise((r) => setTimeout(r, 5));
      slow.sweep();
    }
    assert.equal(slow.count, 1, `the stalled client was marked behind after ${sent} positions`);
    const conn = server.app.io.of('/').sockets.get(stalled.id!)!.conn as unknown as { transport: { socket: { bufferedAmount: number } } };
    const backlog = () => conn.transport.socket.bufferedAmount;
    const before = backlog();
    // A room both watch: the fast client gets everything, nothing more is queued for the stalled one.
    const toFast = collect(fast, 'driver_location_update');
    for (let i = 0; i < 100; i++) delivery.volatileTo(rooms.driverLocation('a'), 'driver_location_update', position(sent + i));
    assert.equal(backlog(), before, 'nothing more was queued for the stalled client');
    await eventually(() => assert.equal(toFast.length, 100));

    const late = collect(stalled, 'driver_location_update') as DriverLocationPayload[];
    tcp.resume();
    await eventually(() => {
      slow.sweep();
      assert.equal(slow.count, 0);
    }, 20_000);
    const marker = position(123_456).timestamp;
    delivery.volatileTo(rooms.driverLocation('a'), 'driver_location_update', position(123_456));
    await eventually(() => assert.equal(late.at(-1)?.timestamp, marker), 20_000);
  });
});
