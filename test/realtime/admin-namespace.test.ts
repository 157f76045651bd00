import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { ManualClock } from '../../src/core/clock.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** A real client on `/admin`, resolved once connected (the namespace sends no `authenticated`). */
function connectAdmin(url: string, token: string): Promise<Client> {
  const socket: Client = io(`${url}/admin`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

const disconnected = (socket: Client) => new Promise<string>((r) => socket.once('disconnect', r));

describe('/admin namespace: expiry, auth:refresh and suspension as on /', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer({}, { clock })));
  after(() => server.close());

  test('when exp passes: auth_error TOKEN_EXPIRED, then a disconnect', async () => {
    clock.set(Date.now());
    const socket = await connectAdmin(server.url, await server.token('adm-exp', 'admin', { ttl: 60 }));
    clock.advance(61_000);
    const authError = next(socket, 'auth_error');
    const gone = disconnected(socket);
    server.app.sessions.sweepExpired();
    assert.deepEqual(await authError, { code: 'TOKEN_EXPIRED', message: 'Token expired' });
    assert.equal(await gone, 'io server disconnect');
  });

  test('auth:refresh with a later token for the same admin extends the session; another user\'s token is refused', async () => {
    clock.set(Date.now());
    const socket = await connectAdmin(server.url, await server.token('adm-refresh', 'admin', { ttl: 60 }));
    const other = await request(socket, 'auth:refresh', { token: await server.token('adm-someone', 'admin', { ttl: 3600 }) });
    assert.equal(other.success === false && other.error.code, 'FORBIDDEN');
    const answer = await request<{ expiresAt: string }>(socket, 'auth:refresh', { token: await server.token('adm-refresh', 'admin', { ttl: 3600 }) });
    assert.ok(answer.success && Date.parse(answer.data.expiresAt) > clock.now() + 3500_000);
    clock.advance(120_000);
    server.app.sessions.sweepExpired();
    assert.equal((await request(socket, 'ping')).success, true);
    assert.ok(socket.connected);
    socket.close();
  });

  test('events of `/` are not served on /admin: UNKNOWN_EVENT', async () => {
    const socket = await connectAdmin(server.url, await server.token('adm-events', 'admin'));
    const answer = await request(socket, 'subscribe:tracking', {});
    assert.equal(answer.success === false && answer.error.code, 'UNKNOWN_EVENT');
    socket.close();
  });

  test('a suspension disconnects the admin on / and on /admin', async () => {
    clock.set(Date.now());
    await server.api('/api/users', { body: { id: 'adm-susp', role: 'admin', name: 'S' } });
    const token = await server.token('adm-susp', 'admin');
    const main = await server.client('adm-susp', 'admin');
    const dashboard = await connectAdmin(server.url, token);
    const goneMain = disconnected(main);
    const goneDashboard = disconnected(dashboard);
    assert.equal((await server.api('/api/users/adm-susp', { method: 'PATCH', body: { status: 'suspended', reason: 'Abuse' } })).status, 200);
    assert.equal(await goneMain, 'io server disconnect');
    assert.equal(await goneDashboard, 'io server disconnect');
    // …and may not come back.
    await assert.rejects(connectAdmin(server.url, token), (err: Error & { data?: { code: string } }) => err.data?.code === 'FORBIDDEN');
  });
});

describe('/admin suspension across nodes (two gateways sharing Redis)', () => {
  let redis: RedisServer | null = null;
  const nodes: TestServer[] = [];
  before(async () => {
    redis = await startRedis();
    if (!redis) return;
    for (const id of ['adm-node-1', 'adm-node-2']) nodes.push(await startServer({ REDIS_URL: redis.url, NODE_ID: id }));
  });
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await redis?.stop();
  });

  test('a suspension made through node 2 disconnects the admin\'s /admin socket on node 1', async (t) => {
    if (!redis) return t.skip('redis-server missing');
    const [n1, n2] = nodes as [TestServer, TestServer];
    const dashboard = await connectAdmin(n1.url, await n1.token('adm-x', 'admin'));
    const gone = disconnected(dashboard);
    await n2.api('/api/users', { body: { id: 'adm-x', role: 'admin', name: 'X' } });
    assert.equal((await n2.api('/api/users/adm-x', { method: 'PATCH', body: { status: 'suspended', reason: 'Abuse' } })).status, 200);
    assert.equal(await gone, 'io server disconnect');
  });
});
