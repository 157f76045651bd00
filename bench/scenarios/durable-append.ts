/**
 * Durable streams: what storing each event in its recipient's stream before
 * the emit costs. Open-loop `POST /api/publish` of `x-bench` messages to
 * USERS users (one socket each, socket.io-client in this process) at RATE
 * messages/s on a real PostgreSQL, in batches of BATCH messages per request;
 * latency = receipt by the client − the time the message was due to be sent.
 * The same run with STREAM_RETENTION_H=0 (transient emits) is the baseline.
 *   node --import tsx bench/scenarios/durable-append.ts [--quick] [--rate 5000] [--batch 50] [--users 200]
 * Bounded: loopback only, fixed durations, every wait has a deadline.
 */
import { io, type Socket } from 'socket.io-client';
import { startPostgres } from '../../test/helpers/postgres.ts';
import { openLoop } from '../lib/open-loop.ts';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { spawnGateway } from '../lib/spawn-server.ts';
import { load, log, round, scenarioArgs, SECRET, token } from '../lib/targets.ts';
import { wallAt, wallNow } from '../lib/wall-clock.ts';

const args = scenarioArgs();
const { quick } = args;
const RATE = Number(args.value('rate') ?? 5_000);
const BATCH = Number(args.value('batch') ?? 50);
const USERS = Number(args.value('users') ?? 200);
const DURATION_MS = quick ? 6_000 : 20_000;
const WARMUP_MS = 1_500;
const startedAt = new Date();
const loadStart = load();

interface Run { mode: string; sent: number; received: number; p50: number; p99: number; p999: number; max: number; serverCpuPct: number | null; maxLagMs: number; seqs: number }

const pct = (sorted: number[], p: number) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! : NaN;

async function measure(mode: 'durable' | 'transient', databaseUrl: string): Promise<Run> {
  const gw = await spawnGateway({ JWT_SECRET: SECRET, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '10', LOG_LEVEL: 'error', SHUTDOWN_DRAIN_MS: '0', STREAM_RETENTION_H: mode === 'durable' ? '24' : '0' });
  const sockets: Socket[] = [];
  try {
    const latencies: number[] = [];
    let received = 0;
    let seqs = 0;
    let measuring = false;
    const ready: Array<Promise<void>> = [];
    for (let u = 0; u < USERS; u++) {
      const s = io(gw.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: await token(`bench-${mode}-${u}`, 'passenger') } });
      ready.push(new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('connect timeout')), 60_000);
        s.once('connect_error', (err) => (clearTimeout(timer), reject(err)));
        s.once('authenticated', () => (clearTimeout(timer), resolve()));
      }));
      s.on('x-bench', (p: { due: number; _seq?: number }) => {
        if (!measuring) return;
        received++;
        if (p._seq !== undefined) seqs++;
        latencies.push(wallNow() - p.due);
      });
      sockets.push(s);
    }
    await Promise.all(ready);
    log(`${mode}: ${USERS} users connected`);
    const auth = `Bearer ${await token('bench-publisher', 'service')}`;
    const post = (messages: unknown[]) => fetch(`${gw.url}/api/publish`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ messages }) })
      .then(async (r) => { if (!r.ok) throw new Error(`publish ${r.status} ${await r.text()}`); await r.arrayBuffer(); });
    const run = async (durationMs: number) => {
      let pending: unknown[] = [];
      const inFlight: Array<Promise<void>> = [];
      // One request per BATCH messages, each message stamped with the wall time it was due.
      const result = await openLoop(RATE, durationMs, (i, intendedMs) => {
        pending.push({ to: { userId: `bench-${mode}-${i % USERS}` }, event: 'x-bench', data: { due: wallAt(intendedMs) } });
        if (pending.length >= BATCH) {
          inFlight.push(post(pending));
          pending = [];
        }
      });
      if (pending.length) inFlight.push(post(pending));
      await Promise.all(inFlight);
      return result;
    };
    await run(WARMUP_MS);
    await new Promise((r) => setTimeout(r, 500));
    measuring = true;
    const cpu0 = cpuSecondsOf(gw.proc.pid!);
    const t0 = Date.now();
    const { sent, maxLagMs } = await run(DURATION_MS);
    for (const deadline = Date.now() + 30_000; received < sent && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    const cpu = cpuSecondsOf(gw.proc.pid!) - cpu0;
    const sorted = latencies.sort((a, b) => a - b);
    const r: Run = { mode, sent, received, p50: round(pct(sorted, 0.5), 1)!, p99: round(pct(sorted, 0.99), 1)!, p999: round(pct(sorted, 0.999), 1)!, max: round(sorted[sorted.length - 1] ?? NaN, 1)!, serverCpuPct: round((cpu / ((Date.now() - t0) / 1000)) * 100), maxLagMs: round(maxLagMs, 1)!, seqs };
    log(`  ${JSON.stringify(r)}`);
    return r;
  } finally {
    sockets.forEach((s) => s.close());
    await gw.stop();
  }
}

const pgServer = await startPostgres();
if (!pgServer) throw new Error('PostgreSQL is needed (postgresql-15)');
const runs: Run[] = [];
try {
  for (const mode of ['transient', 'durable'] as const) runs.push(await measure(mode, pgServer.url));
} finally {
  await pgServer.stop();
}
const by = (m: string) => runs.find((r) => r.mode === m);
const durable = by('durable');
const transient = by('transient');
const rows: BenchRow[] = runs.map((r) => ({
  impl: r.mode === 'durable' ? 'livegate (durable streams)' : 'livegate (STREAM_RETENTION_H=0)',
  variant: `${RATE}/s, batches of ${BATCH}, ${USERS} users`,
  metrics: { p50Ms: r.p50, p99Ms: r.p99, p999Ms: r.p999, maxMs: r.max, serverCpuPct: r.serverCpuPct, generatorLagMs: r.maxLagMs },
  valid: r.received === r.sent && r.maxLagMs < 50 && (r.mode === 'transient' || r.seqs === r.received),
  note: r.received !== r.sent ? `received ${r.received} of ${r.sent}` : r.maxLagMs >= 50 ? 'the generator lagged' : '',
}));
console.table(rows.map((r) => ({ impl: r.impl, ...r.metrics, valid: r.valid, note: r.note })));
const ratio = (a?: number | null, b?: number | null) => (a != null && b ? round(a / b, 2) : null);
report({
  scenario: 'durable-append',
  title: `Durable per-user streams: POST /api/publish → client at ${RATE} events/s on PostgreSQL`,
  quick,
  command: `node --import tsx bench/scenarios/durable-append.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows,
  ratios: { 'durable/transient p99': ratio(durable?.p99, transient?.p99), 'durable/transient serverCpu': ratio(durable?.serverCpuPct, transient?.serverCpuPct) },
  goals: [{ name: 'end-to-end p99 with durable append', target: '≤ 20 ms', value: durable?.p99 ?? null, unit: 'ms', met: durable !== undefined && durable.p99 <= 20 }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    'Each message is one durable event to one user: appended (group commit: the appends waiting while a statement runs go in the next one) and then emitted with _seq.',
    'Latency starts when the open-loop generator was due to send the message, so a stall of the publisher or the server counts.',
  ],
});
process.exit(0);
