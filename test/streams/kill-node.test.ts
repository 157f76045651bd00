import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { signToken } from '../../src/auth/token-signer.ts';
import type { Client } from '../helpers/client.ts';
import { freshDatabase } from '../helpers/cluster.ts';
import { eventually, sleep, within } from '../helpers/eventually.ts';
import { startGatewayProcess, type GatewayProcess } from '../helpers/process.ts';
import { startRedis, type RedisServer } from '../helpers/redis.ts';
import { connectRecording, range, seqsOf, type Seen } from './fixtures.ts';

const SECRET = 'streams-kill-secret-0123456789-abcdef';

describe('kill -9 of the node a client is on: it resumes on another node with lastSeq', () => {
  let redis: RedisServer | null = null;
  const nodes: GatewayProcess[] = [];
  const clients: Client[] = [];
  let databaseUrl: string | null = null;
  before(async () => {
    redis = await startRedis();
    databaseUrl = redis ? await freshDatabase() : null;
    if (!redis || !databaseUrl) return;
    const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, JWT_SECRET: SECRET, SHUTDOWN_DRAIN_MS: '500', DATABASE_POOL_SIZE: '5' };
    // One at a time: the first migrates, the second finds the schema in place.
    for (const id of ['kill-a', 'kill-b']) nodes.push(await startGatewayProcess({ ...env, NODE_ID: id }));
  });
  after(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  test('every event produced through node B is seen exactly once, in order, across the kill (0 lost, 0 duplicated)', async (t) => {
    if (!redis || nodes.length < 2) return t.skip('redis-server or PostgreSQL missing');
    const [a, b] = nodes as [GatewayProcess, GatewayProcess];
    const userId = 'kill-user';
    const token = await signToken(SECRET, { sub: userId, role: 'passenger' });
    const service = await signToken(SECRET, { sub: 'kill-backend', role: 'service' });
    const seen: Seen[] = [];
    const onA = await connectRecording(a.url, token, undefined, seen);
    clients.push(onA.c);

    // A steady producer on node B: notifications (two durable events each) and publishes, alternating.
    let produced = 0;
    let producing = true;
    const producer = (async () => {
      while (producing) {
        produced++;
        const body = produced % 2
          ? { to: { userId }, event: 'x-tick', data: { n: produced } }
          : { userId, notification: { type: 'info', title: `n${produced}`, message: String(produced) } };
        const res = await fetch(`${b.url}${produced % 2 ? '/api/publish' : '/api/notifications'}`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${service}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
        });
        assert.ok(res.status < 300, `producer got ${res.status}: ${await res.text()}`);
        await sleep(5);
      }
    })();

    await eventually(() => assert.ok(seqsOf(seen).length >= 30, 'seqsOf(seen).length >= 30'), 20_000);
    await a.stop(); // SIGKILL
    await within(new Promise<void>((r) => (onA.c.connected ? onA.c.once('disconnect', () => r()) : r())), 10_000, 'the client to notice node A died');
    const seqs = seqsOf(seen);
    const lastSeq = seqs[seqs.length - 1]!;
    // Events keep coming while the client is away.
    await sleep(300);
    const onB = await connectRecording(b.url, token, lastSeq, seen);
    clients.push(onB.c);
    await sleep(500);
    producing = false;
    await producer;

    const head = await headSeq(databaseUrl!, userId);
    await eventually(() => assert.equal(seqsOf(seen).length, head), 20_000);
    const all = seqsOf(seen);
    assert.deepEqual(all, range(1, head), '0 lost, 0 duplicated, in order');
    assert.ok(head > lastSeq + 2, `events arrived after the kill (head ${head}, last on A ${lastSeq})`);
    const ticks = seen.filter((s) => s.event === 'x-tick').map((s) => (s.payload as { n: number }).n);
    assert.deepEqual(ticks, [...ticks].sort((x, y) => x - y));
    assert.equal(new Set(ticks).size, ticks.length);
  });
});

/** The user's head seq, straight from the database. */
async function headSeq(databaseUrl: string, userId: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ seq: string }>('SELECT seq::text FROM stream_heads WHERE user_id = $1', [userId]);
    return Number(rows[0]?.seq ?? 0);
  } finally {
    await db.end();
  }
}
