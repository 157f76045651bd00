/**
 * Idle authenticated connections: server RSS + kernel socket memory per
 * connection, and connections per GB, for Livegate and the baselines.
 *   node --import tsx bench/scenarios/idle.ts [--quick] [--impls …] [--connections N]
 *
 * Each server runs in its own process. Clients are raw WebSocket Socket.IO
 * clients (bench/lib/client-worker.ts) in two processes (a process may hold
 * 20,000 descriptors here), spread over 50 source addresses 127.0.0.x
 * (≈ 28,000 ports each), each with its own token. Per-connection memory is
 * the slope between a tenth and all of the connections (the start-up
 * baseline moves, the slope does not):
 * RSS of the server process from /proc, plus half the growth of the
 * machine's TCP buffer pages (/proc/net/sockstat: both ends of every
 * loopback connection live on this machine). Socket structures in kernel slab
 * are not visible without root (/proc/slabinfo) and are not counted.
 */
import { readFileSync } from 'node:fs';
import { ClientWorker, sourceAddress } from '../lib/client-pool.ts';
import { kernelSocketBytes, settledRss } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { IMPLS, load, log, round, scenarioArgs, startTarget, token, type Impl } from '../lib/targets.ts';

const args = scenarioArgs();
// Seed-style holds connections like bare Socket.IO plus two maps; it is left out by default to keep the full run near 4 minutes (--impls adds it).
const { quick, impls = IMPLS.filter((i) => i !== 'seed-style') } = args;
const CONNECTIONS = Number(args.value('connections') ?? (quick ? 2_000 : 18_000));
const WORKERS = 2;
const startedAt = new Date();
const loadStart = load();

function openFilesLimit(pid: number): number {
  const m = readFileSync(`/proc/${pid}/limits`, 'utf8').match(/Max open files\s+(\d+)/);
  return m ? Number(m[1]) : Infinity;
}

async function measure(impl: Impl): Promise<BenchRow> {
  const target = await startTarget(impl, { env: { MAX_CONNECTIONS_PER_USER: '5' } });
  const workers = Array.from({ length: WORKERS }, () => new ClientWorker());
  try {
    const limit = openFilesLimit(target.pid);
    const clientLimit = Math.min(...workers.map((w) => openFilesLimit(w.pid)));
    const specs = await Promise.all(Array.from({ length: CONNECTIONS }, async (_, i) => ({ token: await token(`bench-idle-${i}`, i % 2 ? 'driver' : 'passenger'), address: sourceAddress(i) })));
    const notes: string[] = [];
    if (CONNECTIONS + 64 > limit) notes.push(`server fd limit ${limit} < ${CONNECTIONS} connections + margin`);
    if (CONNECTIONS / WORKERS + 64 > clientLimit) notes.push(`client fd limit ${clientLimit} per process`);
    const t0 = Date.now();
    let connected = 0;
    let failed = 0;
    const connectRange = async (from: number, to: number) => {
      const per = Math.ceil((to - from) / WORKERS);
      const results = await Promise.all(workers.map((w, k) => w.connect(target.url, specs.slice(from + k * per, Math.min(to, from + (k + 1) * per)), 200)));
      failed += results.reduce((n, r) => n + r.failed, 0);
      connected = to - failed;
    };
    const idleRss = await settledRss(target.pid, { maxReadings: quick ? 20 : 40 });
    const tenth = Math.floor(CONNECTIONS / 10);
    await connectRange(0, tenth);
    const rss1 = await settledRss(target.pid, { maxReadings: quick ? 20 : 40 });
    const k1 = kernelSocketBytes();
    await connectRange(tenth, CONNECTIONS);
    const connectS = (Date.now() - t0) / 1000;
    const rss2 = await settledRss(target.pid, { maxReadings: quick ? 20 : 40 });
    const k2 = kernelSocketBytes();
    const n = CONNECTIONS - tenth - failed;
    const rssPerConn = (rss2 - rss1) / n;
    const kernelPerConn = Math.max(0, k2 - k1) / 2 / n;
    const bytesPerConn = rssPerConn + kernelPerConn;
    if (failed) notes.push(`${failed} connections failed`);
    log(`${impl}: ${connected} connections in ${round(connectS, 1)} s; RSS ${round(idleRss / 2 ** 20)} → ${round(rss1 / 2 ** 20)} → ${round(rss2 / 2 ** 20)} MiB; ${round(rssPerConn)} B RSS + ${round(kernelPerConn)} B kernel per connection`);
    return {
      impl,
      variant: `${CONNECTIONS} connections`,
      metrics: {
        connectionsPerGB: Math.round(1e9 / bytesPerConn), bytesPerConn: Math.round(bytesPerConn), rssBytesPerConn: Math.round(rssPerConn), kernelBytesPerConn: Math.round(kernelPerConn),
        connections: connected, connectS: round(connectS, 1), idleRssMiB: round(idleRss / 2 ** 20, 1), rssAtTenthMiB: round(rss1 / 2 ** 20, 1), rssAtAllMiB: round(rss2 / 2 ** 20, 1),
      },
      valid: failed === 0 && notes.length === 0,
      note: notes.join('; '),
    };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await target.stop();
  }
}

const rows: BenchRow[] = [];
for (const impl of impls) {
  rows.push(await measure(impl).catch((err: unknown): BenchRow => {
    log(`${impl} failed: ${(err as Error).message}`);
    return { impl, metrics: {}, valid: false, note: `failed: ${(err as Error).message}` };
  }));
}
console.table(rows.map((r) => ({ impl: r.impl, ...r.metrics, valid: r.valid, note: r.note })));
const metric = (impl: string, m: string) => rows.find((r) => r.impl === impl)?.metrics[m] ?? null;
const ratios: Record<string, number | null> = {};
for (const base of impls.filter((i) => i !== 'livegate')) {
  const a = metric('livegate', 'connectionsPerGB');
  const b = metric(base, 'connectionsPerGB');
  ratios[`livegate/${base} connectionsPerGB`] = a !== null && b ? round(a / b, 2) : null;
}
const lg = rows.find((r) => r.impl === 'livegate');
const value = lg?.metrics.connectionsPerGB ?? null;
report({
  scenario: 'idle',
  title: `Idle authenticated connections (${CONNECTIONS.toLocaleString('en')})`,
  quick,
  command: `node --import tsx bench/scenarios/idle.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'connectionsPerGB', unit: 'connections/GB', higherIsBetter: true },
  rows,
  ratios,
  goals: [{ name: `idle authenticated connections per GB at ${CONNECTIONS.toLocaleString('en')}`, target: '≥ 80k/GB', value, unit: 'connections/GB', met: !!lg?.valid && value !== null && value >= 80_000 }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    'Per connection = slope of server RSS between 10 % and 100 % of the connections + half the growth of TCP buffer pages (/proc/net/sockstat); kernel slab (socket structs) is not visible without root.',
    'Each impl runs alone in its own process; clients in two processes (fd limit 20,000 per process on this machine, soft = hard).',
  ],
});
process.exit(0);
