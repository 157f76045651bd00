import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { openSse } from './sse-client.ts';
import { openWs } from './ws-client.ts';

describe('GET /ws: authentication and refusals as close codes', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CORS_ORIGINS: 'https://app.example', WS_AUTH_TIMEOUT_MS: '300' })));
  after(() => server.close());

  test('a token in Authorization: Bearer authenticates', async () => {
    const c = await openWs(server.url, { headers: { authorization: `Bearer ${await server.token('ws-h', 'passenger')}` } });
    const auth = await c.next('authenticated');
    assert.equal(auth.data.userId, 'ws-h');
    assert.equal(auth.data.role, 'passenger');
    assert.ok(server.app.io.of('/').adapter.rooms.get('user:ws-h')?.size === 1, 'in the user room like a Socket.IO socket');
    c.close();
  });

  test('a token in ?token= authenticates', async () => {
    const c = await openWs(server.url, { query: `?token=${await server.token('ws-q', 'driver')}` });
    assert.equal((await c.next('authenticated')).data.role, 'driver');
    assert.ok(server.app.io.of('/').adapter.rooms.get('drivers')?.size, 'drivers join the drivers room');
    c.close();
  });

  test('a first authenticate frame authenticates, and frames sent before it are handled after it', async () => {
    const c = await openWs(server.url);
    c.send({ type: 'authenticate', data: { token: await server.token('ws-f', 'passenger') } });
    c.send({ type: 'ping', id: 'early' });
    assert.equal((await c.next('authenticated')).data.userId, 'ws-f');
    const ack = await c.next('ack');
    assert.equal(ack.id, 'early');
    assert.equal(ack.success, true);
    assert.ok(ack.data.serverTime);
    c.close();
  });

  test('no token and no authenticate frame: closed 4001 after WS_AUTH_TIMEOUT_MS', async () => {
    const c = await openWs(server.url);
    const started = Date.now();
    const { code } = await c.closed;
    assert.equal(code, 4001);
    assert.ok(Date.now() - started >= 250, 'waited for the authenticate frame');
  });

  test('a bad token is closed 4001', async () => {
    const c = await openWs(server.url, { query: '?token=not-a-jwt' });
    assert.equal((await c.closed).code, 4001);
    const f = await openWs(server.url);
    f.send({ type: 'authenticate', data: { token: 'not-a-jwt' } });
    assert.equal((await f.closed).code, 4001);
  });

  test('a suspended account is closed 4003', async () => {
    await server.api('/api/users', { body: { id: 'ws-susp', role: 'passenger', name: 'S', status: 'suspended' } });
    const c = await openWs(server.url, { query: `?token=${await server.token('ws-susp', 'passenger')}` });
    assert.equal((await c.closed).code, 4003);
  });

  test('a foreign Origin is closed 4003 before any session exists; an allowed one connects', async () => {
    const token = await server.token('ws-o', 'passenger');
    const evil = await openWs(server.url, { query: `?token=${token}`, headers: { origin: 'https://evil.example' } });
    assert.equal((await evil.closed).code, 4003);
    assert.equal(server.app.io.of('/').adapter.rooms.has('user:ws-o'), false);
    const good = await openWs(server.url, { query: `?token=${token}`, headers: { origin: 'https://app.example' } });
    await good.next('authenticated');
    good.close();
    // A page served by the gateway itself (the dashboard) is same-origin without CORS_ORIGINS.
    const own = await openWs(server.url, { query: `?token=${token}`, headers: { origin: server.url } });
    await own.next('authenticated');
    own.close();
  });

  test('GET /api/connections shows the transport as ws', async () => {
    const c = await openWs(server.url, { query: `?token=${await server.token('ws-list', 'passenger')}` });
    await c.next('authenticated');
    await eventually(async () => {
      const { body } = await server.api('/api/connections');
      const mine = (body.connections as Array<{ userId: string; transport: string }>).find((x) => x.userId === 'ws-list');
      assert.equal(mine?.transport, 'ws');
    });
    const metrics = await server.api('/metrics');
    assert.match(String(metrics.body), /livegate_connections_by_transport\{transport="ws"\} [1-9]/);
    c.close();
  });
});

describe('GET /ws: handshake rate limits', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CONNECT_ATTEMPTS_PER_IP_PER_MIN: '2' })));
  after(() => server.close());

  test('an address over CONNECT_ATTEMPTS_PER_IP_PER_MIN is closed 4008', async () => {
    const token = await server.token('ws-rl', 'passenger');
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await openWs(server.url, { query: `?token=${token}` });
      const first = await Promise.race([c.next('authenticated').then(() => 0), c.closed.then((x) => x.code)]);
      codes.push(first);
      c.close();
    }
    assert.deepEqual(codes, [0, 0, 4008]);
    // The same limit refuses an event stream before it starts: 429 with Retry-After.
    const sse = await openSse(server.url, `/events?token=${token}`);
    assert.equal(sse.status, 429);
    assert.equal(JSON.parse(await sse.body()).error.code, 'RATE_LIMIT_EXCEEDED');
    assert.ok(Number(sse.headers['retry-after']) >= 1);
  });
});
