import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { signToken } from '../../src/auth/token-signer.ts';
import { collect, request, type Client } from '../helpers/client.ts';
import { freshDatabase, startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually, sleep, within } from '../helpers/eventually.ts';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

describe('presence across two nodes (shared Redis and PostgreSQL)', () => {
  let cluster: TestCluster | null = null;
  before(async () => (cluster = await startCluster(2)));
  after(() => cluster?.close());

  test('a user with sockets on both nodes stays online when one closes, and goes offline once when both have', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = cluster.nodes as [TestServer, TestServer];
    assert.equal((await n1.api('/api/users/k-ann/contacts', { method: 'PUT', body: { contactIds: ['k-bo'] } })).status, 200);
    const bo = await n2.client('k-bo', 'user');
    const stranger = await n1.client('k-stranger', 'user');
    const [online, offline, strangerSaw] = [collect(bo, 'user:online'), collect(bo, 'user:offline'), collect(stranger, 'user:offline')];
    const connections = async () => (await n2.api('/api/connections?userId=k-ann')).body.count as number;

    const onOne = await n1.client('k-ann', 'user');
    await eventually(() => assert.deepEqual(online, [{ userId: 'k-ann', name: 'k-ann' }]));
    const onTwo = await n2.client('k-ann', 'user');
    await eventually(async () => assert.equal(await connections(), 2));

    onOne.close();
    await eventually(async () => assert.equal(await connections(), 1));
    // The registry said "not the last socket" on node 1: nothing for node 2's contact, however long we wait for it.
    await sleep(300);
    await request(bo, 'ping');
    assert.equal(online.length, 1, 'the socket on node 2 was not a new online');
    assert.deepEqual(offline, [], 'still online through node 2');

    onTwo.close();
    await eventually(() => assert.equal(offline.length, 1));
    await sleep(300);
    await request(bo, 'ping');
    assert.equal(offline.length, 1, 'offline once');
    assert.equal((offline[0] as unknown as { userId: string }).userId, 'k-ann');
    await request(stranger, 'ping');
    assert.deepEqual(strangerSaw, []);
  });

  test('presence:update on node 1 reaches a contact on node 2', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = cluster.nodes as [TestServer, TestServer];
    await n1.api('/api/users/k-cy/contacts', { method: 'PUT', body: { contactIds: ['k-di'] } });
    const di = await n2.client('k-di', 'user');
    const seen = collect(di, 'friend:presence:changed');
    const cy = await n1.client('k-cy', 'user');
    assert.equal((await request(cy, 'presence:update', { status: 'busy' })).success, true);
    await eventually(() => assert.deepEqual(seen, [{ userId: 'k-cy', presence: 'busy' }]));
    // The status lives in Redis: a repeat through the other node is not a change either.
    const cy2 = await n2.client('k-cy', 'user');
    assert.equal((await request(cy2, 'presence:update', { status: 'busy' })).success, true);
    await sleep(200);
    await request(di, 'ping');
    assert.equal(seen.length, 1);
  });
});

const SECRET = 'presence-kill-secret-0123456789-abcdef';
const TTL_MS = 1000;

describe('presence when a node is killed with SIGKILL', () => {
  let redis: RedisServer | null = null;
  let survivor: TestServer | undefined;
  let victim: GatewayProcess | undefined;
  const clients: Client[] = [];
  before(async () => {
    redis = await startRedis();
    const databaseUrl = redis ? await freshDatabase() : null;
    if (!redis || !databaseUrl) return;
    const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '5', JWT_SECRET: SECRET, PRESENCE_HEARTBEAT_MS: '200', PRESENCE_TTL_MS: String(TTL_MS), SHUTDOWN_DRAIN_MS: '500' };
    // The in-process node migrates first; the process finds the schema in place.
    survivor = await startServer({ ...env, NODE_ID: 'survivor' });
    victim = await startGatewayProcess({ ...env, NODE_ID: 'victim' });
  });
  after(async () => {
    for (const c of clients) c.close();
    await victim?.stop();
    await survivor?.close();
    await redis?.stop();
  });

  test("its users go offline for their contacts on the other node within the registry's expiry, once", async (t) => {
    if (!survivor || !victim) return t.skip('redis-server or PostgreSQL missing');
    await survivor.api('/api/users/kill-eve/contacts', { method: 'PUT', body: { contactIds: ['kill-fay'] } });
    const fay = await survivor.client('kill-fay', 'user');
    const [online, offline] = [collect(fay, 'user:online'), collect(fay, 'user:offline')];
    const eve: Client = io(victim.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: await signToken(SECRET, { sub: 'kill-eve', role: 'user', name: 'Eve' }) } });
    clients.push(eve);
    await within(new Promise((r) => eve.once('authenticated', r)), 10_000, 'kill-eve to authenticate on the victim');
    await eventually(() => assert.deepEqual(online, [{ userId: 'kill-eve', name: 'Eve' }]), 5000);

    const killedAt = Date.now();
    victim.cli.proc.kill('SIGKILL');
    await eventually(() => assert.equal(offline.length, 1), TTL_MS + 3000, 50);
    const tookMs = Date.now() - killedAt;
    assert.ok(tookMs <= TTL_MS + 1500, `offline after ${tookMs} ms (TTL ${TTL_MS} ms plus a sweep)`);
    const { userId, lastSeen } = offline[0] as { userId: string; lastSeen: string };
    assert.equal(userId, 'kill-eve');
    assert.ok(Date.parse(lastSeen) <= killedAt + 50, `lastSeen ${lastSeen} is the dead node's last heartbeat, before the kill`);
    await sleep(600);
    await request(fay, 'ping');
    assert.equal(offline.length, 1, 'reported once');
  });
});
