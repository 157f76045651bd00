import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { connect, next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('token expiry while connected (injected clock)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer({}, { clock })));
  after(() => server.close());

  test('after exp, events have no effect, then auth_error TOKEN_EXPIRED and a disconnect', async () => {
    clock.set(Date.now());
    const socket = await connect(server.url, { token: await server.token('exp-1', 'passenger', { ttl: 60 }) });
    assert.equal((await request(socket, 'ping')).success, true);
    clock.advance(61_000);
    const late = await request(socket, 'profile_updated', { userId: 'exp-1', changes: ['name'] });
    assert.deepEqual(late, { success: false, error: { code: 'TOKEN_EXPIRED', message: 'Token expired' } });
    const authError = next(socket, 'auth_error');
    const gone = new Promise<string>((r) => socket.once('disconnect', r));
    server.app.sessions.sweepExpired();
    assert.deepEqual(await authError, { code: 'TOKEN_EXPIRED', message: 'Token expired' });
    assert.equal(await gone, 'io server disconnect');
  });

  test('auth:refresh with a later token for the same user extends the session', async () => {
    clock.set(Date.now());
    const socket = await connect(server.url, { token: await server.token('exp-2', 'driver', { ttl: 60 }) });
    const answer = await request<{ expiresAt: string }>(socket, 'auth:refresh', { token: await server.token('exp-2', 'driver', { ttl: 3600 }) });
    assert.equal(answer.success, true);
    assert.ok(answer.success && Date.parse(answer.data.expiresAt) > clock.now() + 3500_000);
    clock.advance(120_000);
    server.app.sessions.sweepExpired();
    assert.equal((await request(socket, 'ping')).success, true);
    assert.ok(socket.connected);
    socket.close();
  });

  test('auth:refresh with another user\'s token is refused and changes nothing', async () => {
    clock.set(Date.now());
    const socket = await connect(server.url, { token: await server.token('exp-3', 'driver', { ttl: 60 }) });
    const answer = await request(socket, 'auth:refresh', { token: await server.token('someone-else', 'driver', { ttl: 3600 }) });
    assert.equal(answer.success === false && answer.error.code, 'FORBIDDEN');
    const bad = await request(socket, 'auth:refresh', { token: 'x'.repeat(40) });
    assert.equal(bad.success === false && bad.error.code, 'AUTH_FAILED');
    clock.advance(61_000);
    const gone = new Promise<string>((r) => socket.once('disconnect', r));
    server.app.sessions.sweepExpired();
    assert.equal(await gone, 'io server disconnect');
  });
});

describe('token expiry with the real clock', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  test('a 2-second token is cut off by the expiry sweep', async () => {
    const socket = await connect(server.url, { token: await server.token('exp-real', 'passenger', { ttl: 2 }) });
    const authError = next(socket, 'auth_error', 5000);
    assert.equal((await authError).code, 'TOKEN_EXPIRED');
    await eventually(() => assert.equal(socket.connected, false));
  });
});
