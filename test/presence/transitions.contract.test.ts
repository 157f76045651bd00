import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { MemoryConnectionRegistry, type ConnectionInfo, type ConnectionRegistry, type PresenceTransition } from '../../src/state/connection-registry.ts';
import { MemoryPresenceStore, type PresenceStore } from '../../src/state/presence-store.ts';
import { createRedisClient, RedisConnectionRegistry, type RedisClient } from '../../src/state/redis/index.ts';
import { RedisPresenceStore } from '../../src/state/redis/redis-presence-store.ts';
import { eventually, sleep } from '../helpers/eventually.ts';
import { startRedis } from '../helpers/redis.ts';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'test');

interface Timing { tickMs: number; ttlMs: number }
interface Node {
  registry: ConnectionRegistry;
  /** Transitions this node's background work reported (expiry sweeps, repairs). */
  reported: PresenceTransition[];
  /** Like kill -9: no close(), the heartbeat stops reaching the store. */
  crash(): Promise<void>;
}
interface Implementation {
  cluster(): { join(nodeId: string, timing?: Timing): Promise<Node> };
  clusterWide: boolean;
}

let seq = 0;
const conn = (userId: string, nodeId = 'node-a'): ConnectionInfo => ({
  socketId: `sock-${++seq}-${randomBytes(3).toString('hex')}`,
  userId,
  userRole: 'user',
  connectedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, seq % 60)).toISOString(),
  transport: 'websocket',
  nodeId,
});
const user = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;

/** The presence transitions every ConnectionRegistry reports: first socket in, last socket out, each exactly once. */
function transitions(name: string, impl: Implementation): void {
  describe(name, () => {
    let registry: ConnectionRegistry;
    before(async () => (registry = (await impl.cluster().join('node-a')).registry));

    test("add reports the user's first socket only", async () => {
      const u = user('u-first');
      const [a, b] = [conn(u), conn(u)];
      assert.deepEqual(await registry.add(a), { userOnline: true });
      assert.deepEqual(await registry.add(b), { userOnline: false });
      assert.deepEqual(await registry.add(a), { userOnline: false }, 'adding the same socket again is no transition');
    });

    test("remove reports the user's last socket only, and only once", async () => {
      const u = user('u-last');
      const [a, b] = [conn(u), conn(u)];
      await registry.add(a);
      await registry.add(b);
      assert.deepEqual(await registry.remove(a), { userOffline: false }, 'one socket left');
      assert.deepEqual(await registry.remove(b), { userOffline: true });
      assert.deepEqual(await registry.remove(b), { userOffline: false }, 'already gone');
      assert.deepEqual(await registry.remove({ socketId: 'ghost', userId: user('u-ghost') }), { userOffline: false });
      assert.deepEqual(await registry.add(conn(u)), { userOnline: true }, 'back online after going offline');
    });

    test('concurrent adds and removes of one user report exactly one online and one offline', async () => {
      const u = user('u-race');
      const socks = Array.from({ length: 20 }, () => conn(u));
      const added = await Promise.all(socks.map((s) => registry.add(s)));
      assert.equal(added.filter((r) => r.userOnline).length, 1);
      const removed = await Promise.all(socks.map((s) => registry.remove(s)));
      assert.equal(removed.filter((r) => r.userOffline).length, 1);
    });

    describe('cluster-wide', { skip: impl.clusterWide ? false : 'one node only: the in-process registry is not shared' }, () => {
      test('a user with sockets on two nodes goes offline only when the second one closes', async () => {
        const cluster = impl.cluster();
        const [a, b] = [await cluster.join('node-a'), await cluster.join('node-b')];
        const u = user('u-two-nodes');
        const [onA, onB] = [conn(u, 'node-a'), conn(u, 'node-b')];
        assert.deepEqual(await a.registry.add(onA), { userOnline: true });
        assert.deepEqual(await b.registry.add(onB), { userOnline: false }, 'already online through node-a');
        assert.deepEqual(await a.registry.remove(onA), { userOffline: false }, 'still online through node-b');
        assert.deepEqual(await b.registry.remove(onB), { userOffline: true });
      });

      test("a dead node's users are reported offline once, by one surviving node, with their last heartbeat", async () => {
        const cluster = impl.cluster();
        const timing = { tickMs: 100, ttlMs: 400 };
        const [dead, s1, s2] = [await cluster.join('node-dead', timing), await cluster.join('node-s1', timing), await cluster.join('node-s2', timing)];
        const [gone, stays] = [user('u-gone'), user('u-stays')];
        await dead.registry.add(conn(gone, 'node-dead'));
        await dead.registry.add(conn(gone, 'node-dead'));
        await dead.registry.add(conn(stays, 'node-dead'));
        await s1.registry.add(conn(stays, 'node-s1'));
        const addedAt = Date.now();
        await dead.crash();
        const crashedAt = Date.now();
        const offline = () => [...s1.reported, ...s2.reported].filter((t) => !t.online);
        await eventually(() => assert.equal(offline().length, 1), 3000);
        const [report] = offline();
        assert.equal(report!.userId, gone);
        assert.ok(report!.lastSeen >= addedAt - 50 && report!.lastSeen <= crashedAt + 50, `lastSeen ${report!.lastSeen} is the dead node's last heartbeat (added ${addedAt}, crashed ${crashedAt})`);
        // Several more sweeps by both survivors: nobody reports it again, and the user with a live socket never goes offline.
        await sleep(timing.tickMs * 4);
        assert.deepEqual(offline().map((t) => t.userId), [gone]);
        assert.equal(await s2.registry.isOnline(stays), true);
      });

      test('a user who reconnects elsewhere before the dead node is swept never goes offline', async () => {
        const cluster = impl.cluster();
        const timing = { tickMs: 100, ttlMs: 400 };
        const [dead, alive] = [await cluster.join('node-dead', timing), await cluster.join('node-alive', timing)];
        const u = user('u-moved');
        const old = conn(u, 'node-dead');
        await dead.registry.add(old);
        await dead.crash();
        assert.deepEqual(await alive.registry.add(conn(u, 'node-alive')), { userOnline: false }, 'the online period continues');
        await eventually(async () => assert.equal(await alive.registry.get(old.socketId), undefined), 3000);
        await sleep(timing.tickMs * 3);
        assert.deepEqual(alive.reported, [], 'its old socket expired, but the user never went offline');
      });
    });
  });
}

/** What every PresenceStore promises. */
function store(name: string, make: () => { store: PresenceStore; expire(ms: number): Promise<void> }): void {
  describe(name, () => {
    test('set answers the status it replaced; get and clear', async () => {
      const { store } = make();
      const u = user('u-status');
      assert.equal(await store.get(u), undefined);
      assert.equal(await store.set(u, 'away', 60_000), undefined);
      assert.equal(await store.set(u, 'busy', 60_000), 'away');
      assert.equal(await store.get(u), 'busy');
      await store.clear(u);
      assert.equal(await store.get(u), undefined);
    });

    test('a status lapses after its TTL', async () => {
      const { store, expire } = make();
      const u = user('u-ttl');
      await store.set(u, 'away', 100);
      await expire(100);
      await eventually(async () => assert.equal(await store.get(u), undefined), 2000);
      assert.equal(await store.set(u, 'busy', 100), undefined);
    });
  });
}

transitions('presence transitions: in-process registry', {
  clusterWide: false,
  cluster: () => ({ join: async () => ({ registry: new MemoryConnectionRegistry(), reported: [], crash: async () => undefined }) }),
});
store('presence store: in-process', () => {
  const clock = new ManualClock();
  return { store: new MemoryPresenceStore(clock), expire: async (ms) => clock.advance(ms) };
});

const redis = await startRedis();

describe('presence on Redis', { skip: redis ? false : 'redis-server not found (see the warning above); CI=true fails instead of skipping' }, () => {
  const clients: RedisClient[] = [];
  const registries: ConnectionRegistry[] = [];
  const client = () => createRedisClient(redis!.url, log).then((c) => (clients.push(c), c));
  let shared: RedisClient;
  before(async () => (shared = await client()));
  after(async () => {
    for (const r of registries) await r.close();
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis?.stop();
  });

  const cluster = () => {
    const prefix = `test:{${randomBytes(4).toString('hex')}}:`;
    return {
      async join(nodeId: string, timing?: Timing): Promise<Node> {
        // A node that can crash gets its own connection, which the crash destroys.
        const own = timing ? await client() : shared;
        const registry = new RedisConnectionRegistry(own, { nodeId, log, prefix, ...timing });
        registries.push(registry);
        const reported: PresenceTransition[] = [];
        registry.onTransitions((changes) => reported.push(...changes));
        return { registry, reported, crash: async () => void (own !== shared && own.destroy()) };
      },
    };
  };

  transitions('presence transitions: Redis registry', { clusterWide: true, cluster });
  store('presence store: Redis', () => ({ store: new RedisPresenceStore(shared, `test:presence:${randomBytes(4).toString('hex')}:`), expire: async () => undefined }));
});
