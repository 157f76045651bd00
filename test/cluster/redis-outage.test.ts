import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { next, request } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually, sleep } from '../helpers/eventually.ts';

const OUTAGE_MS = 10_000;

describe('Redis stopped for 10 s and restarted', () => {
  let cluster: TestCluster | null = null;
  before(async () => (cluster = await startCluster(2)));
  after(() => cluster?.close());

  test('nodes keep serving local sockets, report degraded health, and resume cross-node delivery by themselves', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = cluster.nodes as [typeof cluster.nodes[0], typeof cluster.nodes[0]];
    await n1.api('/api/users', { body: { id: 'out-1', role: 'passenger', name: 'A' } });
    const socket = await n1.client('out-1', 'passenger');
    const crossNode = async (name: string) => {
      const got = next(socket, 'profile_updated', 2000);
      await n2.api('/api/users/out-1', { method: 'PATCH', body: { name } });
      return got;
    };
    assert.deepEqual((await crossNode('before')).changes, ['name'], 'cross-node delivery works before the outage');

    const stoppedAt = Date.now();
    await cluster.redis.stop();

    // Local delivery on node 1: an emit made on node 1 for a socket on node 1.
    const local = next(socket, 'profile_updated', 3000);
    const patched = await n1.api('/api/users/out-1', { method: 'PATCH', body: { name: 'during' } });
    assert.equal(patched.status, 200, 'the database path works without Redis');
    assert.deepEqual((await local).changes, ['name'], 'local delivery continues');
    const failed = (await n1.api('/metrics')).body as string;
    assert.match(failed, /livegate_adapter_publish_failures_total [1-9]/, 'the emit lost to the other node is counted');
    assert.equal((await request(socket, 'ping')).success, true, 'events are still handled (rate limits fall back to per-node)');

    const health = await eventually(async () => {
      const res = await n1.api('/api/health');
      assert.equal(res.body.status, 'degraded');
      return res.body;
    });
    assert.equal(health.checks.redis, 'down');
    assert.equal((await n1.api('/readyz', { token: null })).status, 200, 'still ready: it serves its own sockets');
    const fresh = await n1.client('out-2', 'driver');
    assert.ok(fresh.connected, 'new connections are accepted during the outage');

    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    await cluster.redis.restart();

    await eventually(async () => assert.deepEqual((await crossNode(`after-${Date.now()}`)).changes, ['name']), 15_000, 250);
    await eventually(async () => assert.equal((await n1.api('/api/health')).body.checks.redis, 'up'), 10_000);
  });
});
