import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

interface ConnectionRow { socketId: string; userId: string; userRole: string; connectedAt: string; transport: string; nodeId: string }

const disconnected = (socket: Client) => new Promise<string>((resolve) => socket.once('disconnect', resolve));

describe('HTTP API: connections', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ NODE_ID: 'node-test-1' })));
  after(() => server.close());

  const list = async (query = ''): Promise<{ count: number; connections: ConnectionRow[] }> => {
    const res = await server.api(`/api/connections${query}`);
    assert.equal(res.status, 200);
    return res.body;
  };
  /** Waits until the registry agrees with what the test just did (connects and disconnects settle asynchronously). */
  const countFor = (userId: string, expected: number) =>
    eventually(async () => assert.equal((await list(`?userId=${userId}`)).count, expected, `${userId} connections`));

  test('requires an admin or service token', async () => {
    assert.equal((await server.api('/api/connections', { token: null })).status, 401);
    assert.equal((await server.api('/api/connections', { token: await server.token('p-nosy', 'passenger') })).status, 403);
    assert.equal((await server.api('/api/connections', { token: await server.token('svc', 'service') })).status, 200);
    const res = await server.api('/api/connections/disconnect', { token: await server.token('d-nosy', 'driver'), body: { all: true } });
    assert.equal(res.status, 403);
  });

  test('lists connected clients with socketId, userId, userRole, connectedAt, transport and nodeId; ?userId= filters', async () => {
    const before = Date.now();
    const passenger = await server.client('list-p', 'passenger');
    const driver = await server.client('list-d', 'driver');
    await countFor('list-p', 1);
    await countFor('list-d', 1);

    const all = await list();
    assert.equal(all.count, all.connections.length);
    const mine = all.connections.filter((c) => c.userId.startsWith('list-'));
    assert.equal(mine.length, 2);

    const [row] = (await list('?userId=list-p')).connections;
    assert.ok(row, 'list-p is listed');
    assert.deepEqual(
      { socketId: row.socketId, userId: row.userId, userRole: row.userRole, transport: row.transport, nodeId: row.nodeId },
      { socketId: passenger.id, userId: 'list-p', userRole: 'passenger', transport: 'websocket', nodeId: 'node-test-1' },
    );
    assert.ok(Date.parse(row.connectedAt) >= before - 1000 && Date.parse(row.connectedAt) <= Date.now() + 1000, row.connectedAt);
    assert.equal((await list('?userId=list-d')).connections[0]?.userRole, 'driver');
    assert.deepEqual(await list('?userId=nobody-connected'), { count: 0, connections: [] });

    passenger.close();
    driver.close();
    await countFor('list-p', 0);
    await countFor('list-d', 0);
  });

  test('a client that starts on polling is listed as polling, then as websocket once upgraded', async () => {
    const polling = await server.client('poll-only', 'passenger', { transports: ['polling'] });
    await countFor('poll-only', 1);
    assert.equal((await list('?userId=poll-only')).connections[0]?.transport, 'polling');

    const upgrading = await server.client('upgrader', 'passenger', { transports: ['polling', 'websocket'] });
    await eventually(async () => assert.equal((await list('?userId=upgrader')).connections[0]?.transport, 'websocket'));
    assert.equal(upgrading.io.engine.transport.name, 'websocket');
    polling.close();
    upgrading.close();
  });

  test('POST /api/connections/disconnect { userId } disconnects every socket of that user and counts them', async () => {
    const a = await server.client('multi', 'passenger');
    const b = await server.client('multi', 'passenger');
    const bystander = await server.client('bystander', 'passenger');
    await countFor('multi', 2);
    const gone = Promise.all([disconnected(a), disconnected(b)]);

    const res = await server.api('/api/connections/disconnect', { body: { userId: 'multi' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { disconnected: 2 });
    assert.deepEqual(await gone, ['io server disconnect', 'io server disconnect']);
    await countFor('multi', 0);
    assert.ok(bystander.connected, 'other users stay connected');
    assert.deepEqual((await server.api('/api/connections/disconnect', { body: { userId: 'multi' } })).body, { disconnected: 0 });
    bystander.close();
  });

  test('{ socketId } disconnects that one socket only; an unknown or room-like id disconnects nothing', async () => {
    const keep = await server.client('by-socket', 'driver');
    const drop = await server.client('by-socket', 'driver');
    await countFor('by-socket', 2);
    const gone = disconnected(drop);

    const res = await server.api('/api/connections/disconnect', { body: { socketId: drop.id } });
    assert.deepEqual(res.body, { disconnected: 1 });
    assert.equal(await gone, 'io server disconnect');
    await countFor('by-socket', 1);
    assert.ok(keep.connected, 'the other socket of the user stays');

    for (const socketId of ['no-such-socket', 'user:by-socket', 'drivers']) {
      assert.deepEqual((await server.api('/api/connections/disconnect', { body: { socketId } })).body, { disconnected: 0 }, socketId);
    }
    assert.ok(keep.connected, 'room names are not socket ids');
    keep.close();
  });

  test('{ all: true } disconnects everyone and reports how many', async () => {
    const clients = await Promise.all([server.client('all-1', 'passenger'), server.client('all-2', 'driver'), server.client('all-3', 'admin')]);
    await eventually(async () => assert.ok((await list()).count >= 3, 'three clients listed'));
    const expected = (await list()).count;
    const gone = Promise.all(clients.map(disconnected));

    const res = await server.api('/api/connections/disconnect', { body: { all: true } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { disconnected: expected });
    assert.deepEqual(await gone, ['io server disconnect', 'io server disconnect', 'io server disconnect']);
    await eventually(async () => assert.equal((await list()).count, 0));
  });

  describe('invalid bodies', () => {
    let survivor: Client;
    before(async () => (survivor = await server.client('survivor', 'passenger')));
    after(() => survivor.close());

    const invalid: Array<[string, unknown]> = [
      ['an empty object', {}],
      ['all: false', { all: false }],
      ['two selectors at once', { userId: 'survivor', all: true }],
      ['an empty userId', { userId: '' }],
      ['a non-string socketId', { socketId: 42 }],
      ['an unknown key', { everyone: true }],
      ['an array', [{ all: true }]],
    ];
    for (const [name, body] of invalid) {
      test(`${name} is 400 VALIDATION_ERROR and disconnects nobody`, async () => {
        const res = await server.api('/api/connections/disconnect', { body });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, 'VALIDATION_ERROR');
        // A server-side disconnect would fail this round trip.
        assert.equal((await request(survivor, 'ping')).success, true);
      });
    }
  });
});
