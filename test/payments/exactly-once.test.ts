import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/core/clock.ts';
import type { AckResponse } from '../../src/protocol/index.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { freshDatabase, startCluster, type TestCluster } from '../helpers/cluster.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { completeTrip, ledgerProblems, PAY_ENV } from './fixtures.ts';

const CONCURRENT = 20;
const ROUNDS = 3;

/**
 * One round: a wallet trip whose automatic charge fails (empty wallet), a
 * top-up, then 20 process_payment at once from several sockets (half with one
 * shared key, half with their own keys). Exactly one charge must land.
 */
async function round(servers: TestServer[], label: string): Promise<void> {
  const ids = { passengerId: `${label}-p`, driverId: `${label}-d` };
  const [home] = servers as [TestServer];
  const passengers: Client[] = await Promise.all(servers.flatMap((s) => [s.client(ids.passengerId, 'passenger'), s.client(ids.passengerId, 'passenger')]));
  const driver = await home.client(ids.driverId, 'driver');
  const failed = next(passengers[0]!, 'payment_failed', 5000);
  const tripId = await completeTrip(home, systemClock, passengers[0]!, driver, ids, 'wallet');
  assert.equal((await failed).error.code, 'INSUFFICIENT_FUNDS');
  assert.equal((await home.api(`/api/users/${ids.passengerId}/wallet/credits`, { body: { amount: 100, reference: `${label}-top` } })).body.balance, 100);

  const answers: AckResponse<{ status: string; transactionId: string }>[] = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) =>
    request<{ status: string; transactionId: string }>(passengers[i % passengers.length]!, 'process_payment', { tripId, idempotencyKey: i % 2 ? `${label}-same` : `${label}-k${i}` }, 10_000)));
  const codes = new Set(answers.map((a) => (a.success ? a.data.status : a.error.code)));
  for (const c of codes) assert.ok(['completed', 'processing', 'ALREADY_PAID', 'INVALID_STATE'].includes(c), `unexpected answer ${c}: ${JSON.stringify(answers)}`);
  const completedIds = new Set(answers.flatMap((a) => (a.success && a.data.status === 'completed' ? [a.data.transactionId] : [])));
  assert.ok(completedIds.size <= 1, JSON.stringify(answers));

  const db = home.app.db;
  const paid = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE trip_id = $1 AND status = 'completed'`, [tripId]);
  assert.equal(paid.rows[0]?.n, 1);
  const charges = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'charge' AND reference = $1`, [`trip:${tripId}`]);
  assert.equal(charges.rows[0]?.n, 1);
  assert.equal((await home.api(`/api/users/${ids.passengerId}/wallet`)).body.balance, 72.5);
  const total = await db.query<{ s: string | number }>('SELECT COALESCE(SUM(balance_minor), 0) AS s FROM ledger_accounts');
  assert.equal(Number(total.rows[0]?.s), 0, 'money is conserved: every account sums to zero with the clearing accounts');
  assert.deepEqual(await ledgerProblems(db), []);
  for (const p of passengers) p.close();
  driver.close();
}

// Sequentially, before the suites: freshDatabase() starts one shared server lazily and is not safe to call concurrently.
const databaseUrl = await freshDatabase();
const cluster: TestCluster | null = databaseUrl ? await startCluster(2, { ...PAY_ENV, DATABASE_POOL_SIZE: '10' }) : null;

describe(`${CONCURRENT} concurrent process_payment per trip on PostgreSQL`, () => {
  const skip = databaseUrl ? false : 'PostgreSQL binaries not found; CI=true fails instead of skipping';
  let server: TestServer;
  before(async () => {
    if (databaseUrl) server = await startServer({ ...PAY_ENV, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '20' });
  });
  after(() => server?.close());
  test('one charge per trip, money conserved, no negative balance', { skip }, async () => {
    for (let i = 0; i < ROUNDS; i++) await round([server], `pg${i}`);
  });
});

describe(`${CONCURRENT} concurrent process_payment per trip across two nodes`, () => {
  const skip = cluster ? false : 'redis-server or PostgreSQL not found; CI=true fails instead of skipping';
  after(() => cluster?.close());
  test('one charge per trip wherever the sockets are connected', { skip }, async () => {
    for (let i = 0; i < ROUNDS; i++) await round(cluster!.nodes, `node${i}`);
  });
});
