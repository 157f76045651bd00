import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startCluster } from '../helpers/cluster.ts';
import { sleep, within } from '../helpers/eventually.ts';

describe('a node shut down just after a Redis outage', () => {
  test('shuts down while its Redis clients are still reconnecting', async (t) => {
    const cluster = await startCluster(2);
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    try {
      await cluster.nodes[0]!.client('sao-1', 'passenger');
      await cluster.redis.stop();
      // Long enough for the reconnect backoff to reach seconds between attempts.
      await sleep(8_000);
      await cluster.redis.restart();
      // At once: some clients are between two attempts, and io.close() queues the adapter's SUNSUBSCRIBE on them.
      const started = Date.now();
      await within(Promise.all(cluster.nodes.map((node) => node.app.shutdown())), 15_000, 'both nodes to shut down after the outage');
      assert.ok(Date.now() - started < 15_000);
    } finally {
      await cluster.close().catch(() => undefined);
    }
  });
});
