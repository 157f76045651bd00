import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, connectError, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('limits', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ RATE_LIMIT_DEFAULT: '5/10', MAX_CONNECTIONS_PER_USER: '2', MAX_PAYLOAD_BYTES: '2048' })));
  after(() => server.close());

  test('per-user event rate: the 6th event in the window is RATE_LIMIT_EXCEEDED with retryAfterMs', async () => {
    const socket = await server.client('lim-rate', 'passenger');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await request(socket, 'ping'));
    assert.deepEqual(answers.slice(0, 5).map((a) => a.success), [true, true, true, true, true]);
    const last = answers[5]!;
    assert.ok(!last.success);
    assert.equal(last.error.code, 'RATE_LIMIT_EXCEEDED');
    assert.ok(Number(last.error.details?.retryAfterMs) > 0);
    // The limit is per user: a second socket of the same user shares it, another user does not.
    const sameUser = await server.client('lim-rate', 'passenger');
    assert.equal((await request(sameUser, 'ping')).success, false);
    const otherUser = await server.client('lim-rate-2', 'passenger');
    assert.equal((await request(otherUser, 'ping')).success, true);
  });

  test('connections per user: beyond the cap the oldest is disconnected', async () => {
    const first = await server.client('lim-cap', 'driver');
    const firstGone = new Promise<string>((r) => first.once('disconnect', r));
    const second = await server.client('lim-cap', 'driver');
    const third = await server.client('lim-cap', 'driver');
    assert.equal(await firstGone, 'io server disconnect');
    assert.ok(second.connected && third.connected);
    await eventually(async () => assert.equal((await server.app.io.in('user:lim-cap').fetchSockets()).length, 2));
  });

  test('an oversized message closes the socket without reaching a handler', async () => {
    const socket = await server.client('lim-size', 'passenger');
    const receivedBefore = server.app.metrics.snapshot().events.received;
    const gone = new Promise<string>((r) => socket.once('disconnect', r));
    socket.emit('profile_updated', { userId: 'lim-size', changes: ['x'.repeat(4096)] });
    assert.equal(await gone, 'transport close');
    assert.equal(server.app.metrics.snapshot().events.received, receivedBefore);
  });
});

describe('connection attempts per IP per minute', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CONNECT_ATTEMPTS_PER_IP_PER_MIN: '3' })));
  after(() => server.close());

  test('the 4th handshake from one address within a minute is refused with RATE_LIMIT_EXCEEDED', async () => {
    const token = await server.token('lim-ip', 'passenger');
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await connect(server.url, { token }));
    const err = await connectError(server.url, { token });
    assert.equal(err.data?.code, 'RATE_LIMIT_EXCEEDED');
    for (const s of sockets) s.close();
  });
});
