/**
 * Notification delivery: latency, bulk fan-out and push-relay throughput.
 *   node --import tsx bench/notifications.ts [--samples 200] [--sockets 200] [--bulk 1000,10000] [--repeats 5] [--push 2000]
 *
 * The gateway runs in its own process (`livegate start`, PGlite in memory).
 * From this process, on loopback, over raw WebSockets:
 *   1. baseline: `ping` → `pong`, one at a time;
 *   2. POST /api/notifications { userId } → that user's `notification`, one at a time;
 *   3. bulk: POST with N user ids (`sockets` of them connected) → the HTTP answer, and → the last
 *      connected recipient's `notification` (one emit, one insert);
 *   4. push relay: a bulk send to `push` offline users → every signed call received by a local
 *      relay (a second gateway with PUSH_WEBHOOK_URL); calls/s and duplicate check.
 * Bounded: every wait has a deadline; the whole run takes about a minute on 2 cores.
 * `--quick`: 50 samples, bulk 1,000 × 3, 500 push calls. Ends with the suite's BENCH_RESULT line.
 */
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { report, type BenchRow } from './lib/result.ts';
import { spawnGateway } from './lib/spawn-server.ts';
import { WireClient } from './lib/wire-client.ts';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.quick === true;
const num = (name: string, def: number, quickDef = def) => Number(flags[name] ?? (QUICK ? quickDef : def));
const SAMPLES = num('samples', 200, 50);
const SOCKETS = num('sockets', 200);
const BULK = String(flags.bulk ?? (QUICK ? '1000' : '1000,10000')).split(',').map(Number);
const REPEATS = num('repeats', 5, 3);
const PUSH = num('push', 2000, 500);
const STARTED_AT = new Date().toISOString();
const LOAD_START = loadavg();
const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const PUSH_SECRET = 'bench-push-secret-0123456789';

const bounded = <T>(p: Promise<T>, ms = 20_000) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('bench wait timed out')), ms).unref())]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number) => Math.round(n * 100) / 100;

async function post(url: string, token: string, body: unknown): Promise<{ status: number; body: { id: string } }> {
  const res = await fetch(`${url}/api/notifications`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id: string } };
}

/** Waits for `event` with a given id on a client (or any, without an id). */
function waitFor(client: WireClient, event: string, id?: string): Promise<void> {
  return new Promise((resolve) => {
    const previous = client.onEvent;
    client.onEvent = (ev, payload, raw) => {
      previous(ev, payload, raw);
      if (ev === event && (id === undefined || (payload as { id?: string })?.id === id)) {
        client.onEvent = previous;
        resolve();
      }
    };
  });
}

async function measureDelivery(): Promise<Record<string, unknown>[]> {
  const gw = await spawnGateway({ JWT_SECRET: SECRET, TRIP_SWEEP_INTERVAL_MS: '0', MAX_PAYLOAD_BYTES: '1048576' });
  const admin = await signToken(SECRET, { sub: 'bench-admin', role: 'admin', ttl: '1h' });
  const rows: Record<string, unknown>[] = [];
  try {
    const clients: WireClient[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      const c = new WireClient(gw.url, await signToken(SECRET, { sub: `bench-u${i}`, role: 'passenger', ttl: '1h' }));
      await c.connect();
      clients.push(c);
    }
    const first = clients[0]!;

    const ping = new LatencyHistogram();
    for (let k = 0; k < SAMPLES + 20; k++) {
      const t0 = performance.now();
      const got = waitFor(first, 'pong');
      first.emit('ping');
      await bounded(got);
      if (k >= 20) ping.recordMs(performance.now() - t0);
    }
    rows.push({ measure: 'ping → pong (baseline)', ...ping.summary(), ratio_p50: 1 });

    const single = new LatencyHistogram();
    for (let k = 0; k < SAMPLES + 20; k++) {
      const t0 = performance.now();
      const got = waitFor(first, 'notification');
      const res = await post(gw.url, admin, { userId: 'bench-u0', notification: { title: 'Bench', message: `n${k}` } });
      if (res.status !== 201) throw new Error(`send: ${res.status}`);
      await bounded(got);
      if (k >= 20) single.recordMs(performance.now() - t0);
    }
    rows.push({ measure: 'POST { userId } → notification', ...single.summary(), ratio_p50: round(single.pMs(50) / ping.pMs(50)) });

    for (const n of BULK) {
      const ids = Array.from({ length: n }, (_, i) => `bench-u${i}`);
      const answered: number[] = [];
      const delivered: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const t0 = performance.now();
        const all = Promise.all(clients.map((c) => waitFor(c, 'notification')));
        const res = await post(gw.url, admin, { userIds: ids, notification: { title: 'Bulk', message: `to ${n}` } });
        if (res.status !== 201) throw new Error(`bulk: ${res.status}`);
        answered.push(performance.now() - t0);
        await bounded(all);
        delivered.push(performance.now() - t0);
      }
      rows.push({ measure: `bulk ${n} ids → HTTP answer (median of ${REPEATS})`, p50: round(median(answered)), ratio_p50: round(median(answered) / ping.pMs(50)) });
      rows.push({ measure: `bulk ${n} ids → last of ${SOCKETS} sockets (median of ${REPEATS})`, p50: round(median(delivered)), ratio_p50: round(median(delivered) / ping.pMs(50)) });
    }
    for (const c of clients) c.close();
  } finally {
    await gw.stop();
  }
  return rows;
}

async function measurePush(): Promise<Record<string, unknown>> {
  const keys = new Map<string, number>();
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const relay = createServer((req, res) => {
    const key = String(req.headers['idempotency-key']);
    keys.set(key, (keys.get(key) ?? 0) + 1);
    req.resume();
    req.on('end', () => {
      res.writeHead(200).end();
      if (keys.size === PUSH) done();
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/push`;
  const gw = await spawnGateway({ JWT_SECRET: SECRET, PUSH_WEBHOOK_URL: relayUrl, PUSH_WEBHOOK_SECRET: PUSH_SECRET, PUSH_CONCURRENCY: '16' });
  try {
    const admin = await signToken(SECRET, { sub: 'bench-admin', role: 'admin', ttl: '1h' });
    const ids = Array.from({ length: PUSH }, (_, i) => `bench-offline-${i}`);
    const t0 = performance.now();
    const res = await post(gw.url, admin, { userIds: ids, notification: { title: 'Push', message: 'offline' } });
    if (res.status !== 201) throw new Error(`push bulk: ${res.status}`);
    const answered = performance.now() - t0;
    await bounded(all, 120_000);
    const elapsed = performance.now() - t0;
    const duplicates = [...keys.values()].filter((v) => v > 1).length;
    return { measure: `push: ${PUSH} offline users → every relay call`, http_answer_ms: round(answered), all_calls_ms: round(elapsed), calls_per_s: Math.round(PUSH / (elapsed / 1000)), duplicates };
  } finally {
    await gw.stop();
    relay.close();
  }
}

console.error(`notifications: ${SOCKETS} sockets, ${SAMPLES} samples, bulk ${BULK.join(', ')} × ${REPEATS}, ${PUSH} push calls`);
const rows = await measureDelivery();
rows.push(await measurePush());
console.table(rows);
console.log(JSON.stringify({ samples: SAMPLES, sockets: SOCKETS, rows }));

// The suite's result line: p50 per measure (the bulk and push steps have medians only).
const num0 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const push = rows[rows.length - 1]!;
const benchRows: BenchRow[] = rows.map((r): BenchRow => {
  const measure = String(r.measure);
  const isPush = r === push;
  return {
    impl: measure.startsWith('ping') ? 'baseline' : 'livegate', variant: measure,
    metrics: isPush
      ? { allCallsMs: num0(r.all_calls_ms), httpAnswerMs: num0(r.http_answer_ms), callsPerS: num0(r.calls_per_s), duplicates: num0(r.duplicates) }
      : { p50Ms: num0(r.p50), p99Ms: num0(r.p99), p999Ms: num0(r.p999), maxMs: num0(r.max) },
    valid: !isPush || r.duplicates === 0,
    ...(isPush && r.duplicates !== 0 ? { note: `${String(r.duplicates)} duplicate push calls` } : {}),
  };
});
const single = rows.find((r) => String(r.measure).startsWith('POST { userId }'));
report({
  scenario: 'notifications', title: 'Notification delivery, bulk and push relay', quick: QUICK,
  command: `node --import tsx bench/notifications.ts ${process.argv.slice(2).join(' ')}`.trim(),
  headline: { metric: 'p50Ms', unit: 'ms', higherIsBetter: false },
  rows: benchRows,
  ratios: { 'notification/ping p50': num0(single?.ratio_p50) },
  goals: [],
  load: { start: LOAD_START, end: loadavg() }, startedAt: STARTED_AT,
  durationS: Math.round((Date.now() - Date.parse(STARTED_AT)) / 100) / 10,
  notes: ['The push row has no percentile: allCallsMs is the time until every relay call of one bulk request arrived.'],
});
process.exit(0);
