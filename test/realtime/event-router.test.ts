import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, next, request, type Client } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('inbound events: validation, answers and errors', () => {
  let server: TestServer;
  let socket: Client;
  before(async () => {
    server = await startServer();
    socket = await server.client('r-1', 'passenger');
  });
  after(() => server.close());

  test('ping answers `pong` and acks with the server time', async () => {
    const pong = next(socket, 'pong');
    const answer = await request<{ serverTime: string }>(socket, 'ping');
    await pong;
    assert.ok(answer.success && !Number.isNaN(Date.parse(answer.data.serverTime)));
  });

  test('an invalid payload is answered with VALIDATION_ERROR naming the failing field', async () => {
    const answer = await request(socket, 'profile_updated', { userId: 'r-1', changes: 'name' });
    assert.equal(answer.success, false);
    assert.ok(!answer.success);
    assert.equal(answer.error.code, 'VALIDATION_ERROR');
    assert.equal(answer.error.details?.field, 'changes');
  });

  test('without an ack, a failure arrives as `error { message, code, event, timestamp }`', async () => {
    const error = next(socket, 'error');
    socket.emit('leave_room', { roomId: '' } as never);
    const payload = await error;
    assert.equal(payload.code, 'VALIDATION_ERROR');
    assert.equal(payload.event, 'leave_room');
    assert.ok(!Number.isNaN(Date.parse(payload.timestamp)));
  });

  test('unknown events are answered with UNKNOWN_EVENT', async () => {
    const answer = await request(socket, 'no_such_event', { a: 1 });
    assert.equal(!answer.success && answer.error.code, 'UNKNOWN_EVENT');
  });

  test('unknown keys are dropped and `__proto__` payloads change nothing', async () => {
    const admin = await server.client('r-admin', 'admin');
    const forwarded = next(admin, 'profile_updated');
    // JSON text, as a hostile client would send it: __proto__ as an own key.
    const hostile = JSON.parse('{"userId":"r-1","changes":["name"],"isAdmin":true,"__proto__":{"polluted":true}}');
    const answer = await request(socket, 'profile_updated', hostile);
    assert.equal(answer.success, true);
    const payload = await forwarded;
    assert.deepEqual(Object.keys(payload).sort(), ['changes', 'timestamp', 'userId']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(payload), Object.prototype);
    admin.close();
  });

  test('a sender cannot act for another user (nothing in a payload is trusted)', async () => {
    const answer = await request(socket, 'profile_updated', { userId: 'someone-else', changes: ['name'] });
    assert.equal(!answer.success && answer.error.code, 'FORBIDDEN');
  });

  test('leave_room refuses automatic rooms and leaves others', async () => {
    const own = await request(socket, 'leave_room', { roomId: 'user:r-1' });
    assert.equal(!own.success && own.error.code, 'FORBIDDEN');
    const serverSocket = server.app.io.of('/').sockets.get(socket.id!)!;
    serverSocket.join('trip:t-1');
    const answer = await request<{ left: boolean }>(socket, 'leave_room', { roomId: 'trip:t-1' });
    assert.deepEqual(answer, { success: true, data: { roomId: 'trip:t-1', left: true } });
    assert.equal(serverSocket.rooms.has('trip:t-1'), false);
  });

  test('an event the role may not send is FORBIDDEN (authenticate is for anonymous sockets only)', async () => {
    const answer = await request(socket, 'authenticate', await server.token('r-1', 'passenger'));
    assert.equal(!answer.success && answer.error.code, 'FORBIDDEN');
  });
});

describe('anonymous sockets (ALLOW_ANONYMOUS=true)', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ ALLOW_ANONYMOUS: 'true' })));
  after(() => server.close());

  test('connect without a token, may ping, then `authenticate` with a token string', async () => {
    const socket = await connect(server.url);
    assert.equal((await request(socket, 'ping')).success, true);
    const denied = await request(socket, 'profile_updated', { userId: 'x', changes: [] });
    assert.equal(!denied.success && denied.error.code, 'FORBIDDEN');
    const authenticated = next(socket, 'authenticated');
    const answer = await request(socket, 'authenticate', await server.token('anon-to-user', 'user'));
    assert.equal(answer.success, true);
    assert.equal((await authenticated).userId, 'anon-to-user');
    assert.ok(server.app.io.of('/').adapter.rooms.get('user:anon-to-user')?.has(socket.id!));
    socket.close();
  });

  test('a bad token on `authenticate` without an ack answers auth_error AUTH_FAILED', async () => {
    const socket = await connect(server.url);
    const authError = next(socket, 'auth_error');
    socket.emit('authenticate', 'definitely-not-a-valid-token');
    assert.equal((await authError).code, 'AUTH_FAILED');
    socket.close();
  });
});
