/**
 * Payment settlement cost, in process, on PGlite in memory (or PostgreSQL with --database-url).
 *   node --import tsx bench/payments.ts [--samples 300] [--race 20] [--database-url postgres://…]
 *
 *   1. baseline: `SELECT 1` round trips on the same database, one at a time;
 *   2. wallet top-up (`WalletService.credit`: one posting, one credit row);
 *   3. a completed trip paid from the wallet (`PaymentsService.process`: claim, re-check,
 *      posting of four entries, conditional completion), one at a time;
 *   4. `--race` concurrent process_payment calls on one trip each: wall time per trip, and the
 *      check that exactly one charge landed.
 * Trips come from an in-memory TripReader (the module's port); nothing else is stubbed.
 * Bounded by --samples; reports medians and p99, and ratios against the baseline.
 * `--quick`: 100 samples. Ends with the suite's BENCH_RESULT line (bench/lib/result.ts).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseFlags } from '../src/cli/args.ts';
import { systemClock } from '../src/core/clock.ts';
import { DomainEvents } from '../src/core/domain-events.ts';
import { createLogger } from '../src/core/logger.ts';
import { createPaymentsModule, type PaymentsEvents } from '../src/modules/payments/index.ts';
import type { Trip } from '../src/modules/trips/index.ts';
import { migrate, type Database } from '../src/storage/index.ts';
import { openPglite } from '../src/storage/pglite.ts';
import { openPostgres } from '../src/storage/postgres.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { report } from './lib/result.ts';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.quick === true;
const SAMPLES = Number(flags.samples ?? (QUICK ? 100 : 300));
const STARTED_AT = new Date().toISOString();
const LOAD_START = loadavg();
const RACE = Number(flags.race ?? 20);
const RACE_TRIPS = Math.max(1, Math.floor(SAMPLES / 10));
const url = typeof flags['database-url'] === 'string' ? flags['database-url'] : undefined;

const db: Database = url ? await openPostgres(url, 20) : await openPglite('memory');
await migrate(db);
const log = createLogger('silent', 'bench');
const trips = new Map<string, Trip>();
const events = new DomainEvents<PaymentsEvents>(log);
const payments = createPaymentsModule({
  db, trips: { get: async (id) => trips.get(id)! }, events, clock: systemClock, log,
  settings: { rates: { platformFeeBp: 1000, commissionBp: 1500 }, currency: 'SDG', claimTtlMs: 60_000, gateways: { ebs: undefined, cyberpay: undefined } },
});

function completedTrip(passengerId: string): Trip {
  const id = randomUUID();
  const trip = { id, status: 'completed', passengerId, driverId: 'bench-driver', paymentMethod: 'wallet', actualFareMinor: 2500 } as Trip;
  trips.set(id, trip);
  return trip;
}

async function time(h: LatencyHistogram, fn: () => Promise<unknown>): Promise<void> {
  const t = performance.now();
  await fn();
  h.recordMs(performance.now() - t);
}

const baseline = new LatencyHistogram();
for (let i = 0; i < SAMPLES; i++) await time(baseline, () => db.query('SELECT 1'));

const credit = new LatencyHistogram();
for (let i = 0; i < SAMPLES; i++) await time(credit, () => payments.wallet.credit('bench-p', 10_000, `bench-${i}`));

const settle = new LatencyHistogram();
for (let i = 0; i < SAMPLES; i++) {
  const trip = completedTrip('bench-p');
  await time(settle, () => payments.service.process('bench-p', { tripId: trip.id }));
}

const race = new LatencyHistogram();
let doubleCharges = 0;
for (let i = 0; i < RACE_TRIPS; i++) {
  const trip = completedTrip('bench-p');
  await time(race, () => Promise.allSettled(Array.from({ length: RACE }, (_, k) => payments.service.process('bench-p', { tripId: trip.id, idempotencyKey: `${trip.id}-${k % 3}` }))));
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = $1`, [`trip:${trip.id}`]);
  if (rows[0]?.n !== 1) doubleCharges += 1;
}

const b = baseline.summary();
const row = (name: string, h: LatencyHistogram) => {
  const s = h.summary();
  return { step: name, n: h.count, p50_ms: s.p50, p99_ms: s.p99, p50_vs_baseline: Math.round((s.p50 / b.p50) * 10) / 10, p99_vs_baseline: Math.round((s.p99 / b.p99) * 10) / 10 };
};
console.table([row('baseline SELECT 1', baseline), row('wallet credit', credit), row('wallet trip payment', settle), row(`${RACE} concurrent process_payment (per trip)`, race)]);
console.log(JSON.stringify({ database: db.kind, samples: SAMPLES, raceTrips: RACE_TRIPS, tripsWithOtherThanOneCharge: doubleCharges }));
await db.close();

const metricsOf = (h: LatencyHistogram) => {
  const s = h.summary();
  return { p50Ms: s.p50, p99Ms: s.p99, p999Ms: s.p999, maxMs: s.max, samples: h.count };
};
const vsBaseline = (h: LatencyHistogram) => Math.round((h.pMs(99) / baseline.pMs(99)) * 10) / 10;
report({
  scenario: 'payments', title: `Wallet payments on ${db.kind}`, quick: QUICK,
  command: `node --import tsx bench/payments.ts ${process.argv.slice(2).join(' ')}`.trim(),
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows: [
    { impl: 'baseline', variant: 'SELECT 1 round trip', metrics: metricsOf(baseline), valid: true },
    { impl: 'livegate', variant: 'wallet credit', metrics: metricsOf(credit), valid: true },
    { impl: 'livegate', variant: 'wallet trip payment', metrics: metricsOf(settle), valid: true },
    {
      impl: 'livegate', variant: `${RACE} concurrent process_payment per trip`, metrics: { ...metricsOf(race), tripsNotChargedOnce: doubleCharges },
      valid: doubleCharges === 0, ...(doubleCharges ? { note: `${doubleCharges} trip(s) with other than one charge` } : {}),
    },
  ],
  ratios: { 'wallet credit/SELECT 1 p99': vsBaseline(credit), 'trip payment/SELECT 1 p99': vsBaseline(settle) },
  goals: [{ name: 'exactly one charge per raced trip', target: '0 trips charged other than once', value: doubleCharges, unit: 'trips', met: doubleCharges === 0 }],
  load: { start: LOAD_START, end: loadavg() }, startedAt: STARTED_AT,
  durationS: Math.round((Date.now() - Date.parse(STARTED_AT)) / 100) / 10,
  notes: ['In process, no sockets: the cost of the payments module and its database, one call at a time.'],
});
