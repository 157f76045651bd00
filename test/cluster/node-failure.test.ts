import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { signToken } from '../../src/auth/token-signer.ts';
import type { Client } from '../helpers/client.ts';
import { freshDatabase } from '../helpers/cluster.ts';
import { eventually, within } from '../helpers/eventually.ts';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';

const SECRET = 'node-failure-secret-0123456789-abcdefgh';
const TTL_MS = 2000;

describe('kill -9 of one node behind a load balancer', () => {
  let redis: RedisServer | null = null;
  const nodes: GatewayProcess[] = [];
  let proxy: TcpProxy | undefined;
  const clients: Client[] = [];
  before(async () => {
    redis = await startRedis();
    const databaseUrl = redis ? await freshDatabase() : null;
    if (!redis || !databaseUrl) return;
    const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, PRESENCE_HEARTBEAT_MS: '500', PRESENCE_TTL_MS: String(TTL_MS), SHUTDOWN_DRAIN_MS: '500' };
    // One at a time: the first migrates, the others find the schema in place.
    for (let i = 1; i <= 3; i++) nodes.push(await startGatewayProcess({ ...env, NODE_ID: `proc-${i}` }));
    proxy = await startTcpProxy(nodes.map((n) => n.port));
  });
  after(async () => {
    for (const c of clients) c.close();
    await proxy?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  test('its clients reconnect to the others within 5 s and presence drops its sockets within the expiry', async (t) => {
    if (!redis || nodes.length < 3 || !proxy) return t.skip('redis-server or PostgreSQL missing');
    const admin = await signToken(SECRET, { sub: 'nf-admin', role: 'admin' });
    for (let i = 0; i < 6; i++) {
      const socket: Client = io(`http://127.0.0.1:${proxy.port}`, {
        transports: ['websocket'], forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 300, randomizationFactor: 0,
        auth: { token: await signToken(SECRET, { sub: `nf-${i}`, role: 'passenger' }) },
      });
      clients.push(socket);
      await within(new Promise((r) => socket.once('authenticated', r)), 10_000, `client nf-${i} to authenticate through the balancer`);
    }
    const list = async (node: GatewayProcess) => {
      const res = await fetch(`${node.url}/api/connections`, { headers: { authorization: `Bearer ${admin}` }, signal: AbortSignal.timeout(5_000) });
      return ((await res.json()) as { connections: Array<{ socketId: string; nodeId: string }> }).connections;
    };
    const before = await eventually(async () => {
      const conns = await list(nodes[0]!);
      assert.equal(conns.length, 6);
      return conns;
    });
    const victim = nodes[1]!;
    const victimSockets = new Set(before.filter((c) => c.nodeId === 'proc-2').map((c) => c.socketId));
    assert.ok(victimSockets.size > 0, 'the balancer put clients on every node');
    const onVictim = clients.filter((c) => victimSockets.has(c.id!));

    const killedAt = Date.now();
    const reconnected = onVictim.map((c) => new Promise<number>((r) => c.once('authenticated', () => r(Date.now() - killedAt))));
    victim.cli.proc.kill('SIGKILL');
    const times = await within(Promise.all(reconnected), 15_000, `the ${onVictim.length} clients of the killed node to reconnect`);
    assert.ok(Math.max(...times) < 5000, `reconnected after ${times.join(', ')} ms`);

    const survivor = nodes[0]!;
    await eventually(async () => {
      const conns = await list(survivor);
      assert.deepEqual(conns.filter((c) => c.nodeId === 'proc-2'), [], 'no socket of the dead node is listed');
      assert.equal(conns.length, 6, 'every client is connected again');
    }, TTL_MS + 3000, 100);
  });
});
