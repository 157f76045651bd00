/**
 * Idle authenticated connections on the plain transports: Livegate's `/ws`
 * and `/events` (SSE) against the raw `ws` baseline (bench/baselines/raw-ws.ts),
 * each server alone in its own process, in the same run. Per connection =
 * the slope of server RSS between a tenth and all of the connections, plus
 * half the growth of the machine's TCP buffer pages (as bench/scenarios/idle.ts).
 *   node --import tsx bench/scenarios/ws-idle.ts [--quick] [--connections N]
 * Goal: /ws holds at least 0.8× the connections per GB of raw ws.
 */
import { ClientWorker, sourceAddress } from '../lib/client-pool.ts';
import { kernelSocketBytes, settledRss } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { load, log, round, scenarioArgs, startTarget, token } from '../lib/targets.ts';
import { PlainClients } from './plain-pool.ts';

const args = scenarioArgs();
const { quick } = args;
const CONNECTIONS = Number(args.value('connections') ?? (quick ? 2_000 : 9_000));
const startedAt = new Date();
const loadStart = load();

const VARIANTS = ['raw-ws', 'livegate-ws', 'livegate-sse'] as const;
type Variant = (typeof VARIANTS)[number];

async function measure(variant: Variant): Promise<BenchRow> {
  const target = await startTarget(variant === 'raw-ws' ? 'raw-ws' : 'livegate', { env: { MAX_CONNECTIONS_PER_USER: '5' } });
  const engine = variant === 'raw-ws' ? new ClientWorker() : undefined;
  const plain = variant === 'raw-ws' ? undefined : new PlainClients();
  try {
    const specs = await Promise.all(Array.from({ length: CONNECTIONS }, async (_, i) => ({ token: await token(`bench-plain-${i}`, i % 2 ? 'driver' : 'passenger'), address: sourceAddress(i) })));
    const open = async (from: number, to: number) => {
      const slice = specs.slice(from, to);
      if (engine) return (await engine.connect(target.url, slice, 200)).failed;
      return (await plain!.connect(variant === 'livegate-ws' ? 'ws' : 'sse', target.url, slice, 200)).failed;
    };
    const tenth = Math.floor(CONNECTIONS / 10);
    let failed = await open(0, tenth);
    const rss1 = await settledRss(target.pid, { maxReadings: quick ? 20 : 40 });
    const k1 = kernelSocketBytes();
    failed += await open(tenth, CONNECTIONS);
    const rss2 = await settledRss(target.pid, { maxReadings: quick ? 20 : 40 });
    const k2 = kernelSocketBytes();
    const n = CONNECTIONS - tenth - failed;
    const rssPerConn = (rss2 - rss1) / n;
    const kernelPerConn = Math.max(0, k2 - k1) / 2 / n;
    const bytesPerConn = rssPerConn + kernelPerConn;
    log(`${variant}: RSS ${round(rss1 / 2 ** 20)} → ${round(rss2 / 2 ** 20)} MiB; ${round(rssPerConn)} B RSS + ${round(kernelPerConn)} B kernel per connection; ${failed} failed`);
    return {
      impl: variant, variant: `${CONNECTIONS} connections`,
      metrics: { connectionsPerGB: Math.round(1e9 / bytesPerConn), bytesPerConn: Math.round(bytesPerConn), rssBytesPerConn: Math.round(rssPerConn), kernelBytesPerConn: Math.round(kernelPerConn), connections: CONNECTIONS - failed },
      valid: failed === 0,
      note: failed ? `${failed} connections failed` : '',
    };
  } finally {
    await engine?.close();
    await plain?.close();
    await target.stop();
  }
}

const rows: BenchRow[] = [];
for (const v of VARIANTS) {
  rows.push(await measure(v).catch((err: unknown): BenchRow => {
    log(`${v} failed: ${(err as Error).message}`);
    return { impl: v, metrics: {}, valid: false, note: `failed: ${(err as Error).message}` };
  }));
}
console.table(rows.map((r) => ({ impl: r.impl, ...r.metrics, valid: r.valid, note: r.note })));
const perGB = (v: Variant) => rows.find((r) => r.impl === v)?.metrics.connectionsPerGB ?? null;
const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 2) : null);
const wsRatio = ratio(perGB('livegate-ws'), perGB('raw-ws'));
report({
  scenario: 'ws-idle',
  title: `Idle connections on /ws and SSE vs raw ws (${CONNECTIONS.toLocaleString('en')})`,
  quick,
  command: `node --import tsx bench/scenarios/ws-idle.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'connectionsPerGB', unit: 'connections/GB', higherIsBetter: true },
  rows,
  ratios: { 'livegate-ws/raw-ws connectionsPerGB': wsRatio, 'livegate-sse/raw-ws connectionsPerGB': ratio(perGB('livegate-sse'), perGB('raw-ws')) },
  goals: [{ name: '/ws idle connections per GB vs raw ws (same run)', target: '≥ 0.8×', value: wsRatio, unit: '×', met: wsRatio !== null && wsRatio >= 0.8 }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: ['raw-ws holds Engine.IO-framed authenticated sockets (bench/baselines/raw-ws.ts); /ws and SSE are Livegate sockets (rooms, registry, expiry) behind the plain transports.'],
});
process.exit(0);
