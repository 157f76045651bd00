/**
 * Cross-node emits through Redis, against a single node and against
 * bare Socket.IO with the same adapter, all in the same run.
 *   npm run bench:cross-node [-- --quick]           quick: pubsub only, 10k and 20k/s, 4 s steps (≈ 90 s)
 *   options: --rates 5000,10000,20000  --impls livegate,bare-socketio  --adapters pubsub,streams
 *     --duration MS (per step)  --users 200  --senders 2 --receivers 2 (load processes)
 *     --rate-limit P/S (livegate's +ratelimit phase; on by default in the full run)  --no-rate-limit
 *     --no-single (skip the one-node phases)  --profile DIR (V8 CPU profiles of every node)
 *     --bare-sse 1|batch (the baseline also sends one serverSideEmit per event, or batched every 5 ms,
 *       like Livegate's profile-cache invalidation: to measure what that costs)
 *
 * Traffic: a client event on node A whose handler emits to a user on node B.
 * Each user has a sender socket on node A and a receiver socket on node B
 * (`cross`), or both on one node without Redis (`single`). The sender emits
 * `profile_updated`; the gateway forwards it to the user's room except the
 * sender, i.e. to the receiver. Senders and receivers live in separate forked
 * processes (bench/lib/cross-node-load.ts), open-loop with the intended send
 * time stamped on the machine-wide monotonic clock; latency = arrival − intended.
 * A step is INVALID when a sender fell > 50 ms behind schedule or anything was lost.
 */
import { loadavg } from 'node:os';
import { createClient } from 'redis';
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { LoadFleet } from './lib/cross-node-fleet.ts';
import { monoMs } from './lib/cross-node-load.ts';
import { startNode, type AdapterName, type BenchNode, type Impl } from './lib/cross-node-nodes.ts';
import { LatencyHistogram } from './lib/histogram.ts';
import { cpuSecondsOf } from './lib/proc.ts';
import { report, type BenchGoal, type BenchRow } from './lib/result.ts';

const startedAt = new Date();
// Every node and load process registers an exit hook that kills it.
process.setMaxListeners(50);
const loadStart = loadavg().map((n) => +n.toFixed(2));
const flags = parseFlags(process.argv.slice(2));
const quick = flags.quick === true;
const rates = String(flags.rates ?? (quick ? '10000,20000' : '5000,10000,20000')).split(',').map(Number);
const impls = String(flags.impls ?? 'livegate,bare-socketio').split(',') as Impl[];
const adapters = String(flags.adapters ?? (quick ? 'pubsub' : 'pubsub,streams')).split(',') as AdapterName[];
const stepMs = Number(flags.duration ?? (quick ? 4000 : 5000));
const drainMs = quick ? 2000 : 3000;
const users = Number(flags.users ?? 200);
const senderProcs = Number(flags.senders ?? 2);
const receiverProcs = Number(flags.receivers ?? 2);
// Livegate's per-user event limit (RATE_LIMIT_DEFAULT) is off in the main rows; the extra
// `+ratelimit` phase turns it on, counted in Redis (one round trip per event), at a rule the load never hits.
const rateLimitRule = typeof flags['rate-limit'] === 'string' ? flags['rate-limit'] : '100000/10';
const withRateLimit = flags['rate-limit'] !== undefined || (!quick && flags['no-rate-limit'] !== true);
const profileDir = typeof flags.profile === 'string' ? flags.profile : undefined;
const SECRET = 'bench-cross-node-secret-0123456789abcdef';
const LAG_LIMIT_MS = 50;
const GOAL = '≥ 20k cross-node emits/s at p99 ≤ 50 ms, 0 lost';

const addresses = (base: number) => Array.from({ length: 16 }, (_, i) => `127.0.0.${base + i}`);

async function redisCpuSeconds(client: ReturnType<typeof createClient>): Promise<number> {
  const info = await client.info('cpu');
  const num = (k: string) => Number(info.match(new RegExp(`${k}:([\\d.]+)`))?.[1] ?? 0);
  return num('used_cpu_sys') + num('used_cpu_user');
}

interface PhaseSpec { impl: Impl; adapter: AdapterName; rateLimit: boolean }
interface Phase extends PhaseSpec { label: string; a: BenchNode; b: BenchNode | undefined; fleet: LoadFleet; userIds: string[] }

async function openPhase({ impl, adapter, rateLimit }: PhaseSpec, redisUrl: string): Promise<Phase> {
  const env: Record<string, string> = impl === 'livegate'
    ? { JWT_SECRET: SECRET, MAX_CONNECTIONS_PER_USER: '10', RATE_LIMIT_DEFAULT: rateLimit ? rateLimitRule : '0' }
    : { BARE_SERVER_SIDE_EMIT: flags['bare-sse'] === true ? '1' : typeof flags['bare-sse'] === 'string' ? flags['bare-sse'] : '0' };
  const label = `${adapter}${rateLimit ? '+ratelimit' : ''}`;
  const a = await startNode({ impl, adapter, redisUrl, nodeId: `${impl}-a`, env, profileDir });
  const b = adapter === 'memory' ? undefined : await startNode({ impl, adapter, redisUrl, nodeId: `${impl}-b`, env, profileDir });
  if (profileDir) process.stderr.write(`profiling into ${profileDir}: ${impl} ${label} node A pid ${a.pid}${b ? `, node B pid ${b.pid}` : ''}\n`);
  const fleet = new LoadFleet(senderProcs, receiverProcs);
  const userIds = Array.from({ length: users }, (_, i) => `xn-${impl}-${label}-${i}`);
  const tokens = await Promise.all(userIds.map((sub) => (impl === 'livegate' ? signToken(SECRET, { sub, role: 'passenger', ttl: '1h' }) : sub)));
  const dealt = (procs: number, k: number) => userIds.flatMap((userId, i) => (i % procs === k ? [{ userId, token: tokens[i]! }] : []));
  // Receivers first: a sender's first emit must find its user's receiver in the room.
  await Promise.all(fleet.receivers.map((p, k) =>
    p.request({ type: 'connect', role: 'recv', url: (b ?? a).url, users: dealt(receiverProcs, k), localAddresses: addresses(100 + 20 * k) }, 'connected')));
  await Promise.all(fleet.senders.map((p, k) =>
    p.request({ type: 'connect', role: 'send', url: a.url, users: dealt(senderProcs, k), localAddresses: addresses(2 + 20 * k) }, 'connected')));
  return { impl, adapter, rateLimit, label, a, b, fleet, userIds };
}

async function closePhase(p: Phase): Promise<void> {
  await p.fleet.close();
  await Promise.all([p.a.stop(), p.b?.stop()]);
}

async function runStep(p: Phase, rate: number, durationMs: number, redis: ReturnType<typeof createClient>): Promise<BenchRow> {
  const { fleet } = p;
  const run = `r${Math.random().toString(36).slice(2, 10)}`;
  await Promise.all(fleet.receivers.map((r) => r.request({ type: 'arm', run }, 'armed')));
  const startAtMs = monoMs() + 100;
  await new Promise((r) => setTimeout(r, 95));
  const cpu0 = { a: cpuSecondsOf(p.a.pid), b: p.b ? cpuSecondsOf(p.b.pid) : 0, gen: fleet.all.reduce((s, f) => s + cpuSecondsOf(f.pid), 0), redis: await redisCpuSeconds(redis) };
  const t0 = monoMs();
  const done = await Promise.all(fleet.senders.map((s, k) => {
    const mine = p.userIds.filter((_, i) => i % senderProcs === k);
    return s.request({ type: 'send', rate, durationMs, startAtMs, procIndex: k, procCount: senderProcs, users: mine, run }, 'sent');
  }));
  const seconds = (monoMs() - t0) / 1000;
  const cpu = {
    a: (cpuSecondsOf(p.a.pid) - cpu0.a) / seconds,
    b: p.b ? (cpuSecondsOf(p.b.pid) - cpu0.b) / seconds : 0,
    gen: (fleet.all.reduce((s, f) => s + cpuSecondsOf(f.pid), 0) - cpu0.gen) / seconds,
    redis: (await redisCpuSeconds(redis) - cpu0.redis) / seconds,
  };
  const sent = done.reduce((s, d) => s + d.sent, 0);
  const lagMs = Math.max(...done.map((d) => d.maxLagMs));
  const deadline = monoMs() + drainMs;
  for (;;) {
    const counts = await Promise.all(fleet.receivers.map((r) => r.request({ type: 'count' }, 'counted')));
    if (counts.reduce((s, c) => s + c.received, 0) >= sent || monoMs() > deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  // CPU per event over the whole step, until the last frame arrived: comparable across rates and
  // less sensitive to other jobs on the machine than latency is.
  const perEvent = (pid: number, before: number) => +(((cpuSecondsOf(pid) - before) * 1e6) / Math.max(1, sent)).toFixed(1);
  const aUsPerEvent = perEvent(p.a.pid, cpu0.a);
  const bUsPerEvent = p.b ? perEvent(p.b.pid, cpu0.b) : null;
  const hist = new LatencyHistogram();
  let received = 0;
  for (const r of fleet.receivers) {
    const c = await r.request({ type: 'collect' }, 'collected');
    received += c.received;
    for (const ms of c.latenciesMs) hist.recordMs(ms);
  }
  const s = hist.summary();
  const lost = sent - received;
  const valid = lost === 0 && lagMs <= LAG_LIMIT_MS;
  const pct = (x: number) => Math.round(x * 100);
  const note = valid ? undefined : [lost !== 0 ? `${lost} of ${sent} not received within ${drainMs / 1000} s` : '', lagMs > LAG_LIMIT_MS ? `generator lagged ${lagMs.toFixed(0)} ms` : ''].filter(Boolean).join('; ');
  return {
    impl: p.impl,
    variant: `${p.label} ${p.b ? 'cross' : 'single'} ${rate}/s`,
    metrics: {
      rate, p50Ms: s.p50, p99Ms: s.p99, p999Ms: s.p999, maxMs: s.max, sent, received, lost,
      cpuA: pct(cpu.a), cpuB: p.b ? pct(cpu.b) : null, aUsPerEvent, bUsPerEvent, cpuGenerator: pct(cpu.gen), cpuRedis: pct(cpu.redis), generatorLagMs: +lagMs.toFixed(1),
    },
    valid,
    ...(note ? { note } : {}),
  };
}

const redisServer = await startRedis();
if (!redisServer) {
  console.error('redis-server is required for this benchmark');
  process.exit(1);
}
const redis = createClient({ url: redisServer.url });
await redis.connect();
const rows: BenchRow[] = [];
const phases: PhaseSpec[] = impls.flatMap((impl) => [
  ...((flags['no-single'] === true ? adapters : ['memory', ...adapters]) as AdapterName[]).map((adapter) => ({ impl, adapter, rateLimit: false })),
  ...(impl === 'livegate' && withRateLimit ? [{ impl, adapter: adapters[0]!, rateLimit: true }] : []),
]);
{
  for (const spec of phases) {
    const phase = await openPhase(spec, redisServer.url);
    // Warm-up (JIT, buffers) so the first measured step is not a cold start.
    await runStep(phase, Math.min(...rates) / 2, quick ? 1500 : 3000, redis);
    for (const rate of rates) {
      process.stderr.write(`${phase.impl} ${phase.label} ${rate}/s ...\n`);
      const row = await runStep(phase, rate, stepMs, redis);
      rows.push(row);
      // Past saturation the next rate only adds minutes of backlog.
      if (!row.valid && (row.metrics.p99Ms ?? 0) > 2000) break;
    }
    await closePhase(phase);
  }
}
await redis.close();
await redisServer.stop();

console.table(rows.map((r) => ({ impl: r.impl, variant: r.variant, ...r.metrics, valid: r.valid })));
const find = (impl: string, variant: string) => rows.find((r) => r.impl === impl && r.variant === variant);
const ratios: Record<string, number | null> = {};
for (const adapter of adapters) {
  for (const rate of rates) {
    const lg = find('livegate', `${adapter} cross ${rate}/s`);
    const bare = find('bare-socketio', `${adapter} cross ${rate}/s`);
    const ratio = (x: number | null | undefined, y: number | null | undefined) => (x && y ? +(x / y).toFixed(2) : null);
    if (lg && bare) {
      ratios[`livegate/bare-socketio p99 ${adapter} cross ${rate}/s`] = ratio(lg.metrics.p99Ms, bare.metrics.p99Ms);
      ratios[`livegate/bare-socketio node A CPU per event ${adapter} cross ${rate}/s`] = ratio(lg.metrics.aUsPerEvent, bare.metrics.aUsPerEvent);
      ratios[`livegate/bare-socketio node B CPU per event ${adapter} cross ${rate}/s`] = ratio(lg.metrics.bUsPerEvent, bare.metrics.bUsPerEvent);
    }
    const single = find('livegate', `memory single ${rate}/s`);
    if (lg && single) ratios[`livegate cross/single p99 ${adapter} ${rate}/s`] = ratio(lg.metrics.p99Ms, single.metrics.p99Ms);
  }
}
/** Highest rate that was valid with p99 ≤ 50 ms. */
const bestRate = (impl: string, adapter: string) => {
  const ok = rows.filter((r) => r.impl === impl && r.variant?.startsWith(`${adapter} cross`) && r.valid && (r.metrics.p99Ms ?? Infinity) <= 50);
  return ok.length ? Math.max(...ok.map((r) => r.metrics.rate ?? 0)) : null;
};
const goals: BenchGoal[] = impls.flatMap((impl) => adapters.map((adapter) => {
  const value = bestRate(impl, adapter);
  return { name: `${impl} ${adapter} cross-node emits/s`, target: GOAL, value, unit: 'emits/s', met: (value ?? 0) >= 20_000 };
}));
for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ×${v}`);
for (const g of goals) console.log(`${g.name}: ${g.value ?? 'none'} (${g.met ? 'goal met' : 'goal not met'}; tried ${rates.join(', ')}/s)`);
report({
  scenario: 'cross-node',
  title: 'Cross-node emits through Redis: client event on node A → user on node B',
  quick,
  command: `npm run bench:cross-node --${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`.replace(/ --$/, ''),
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows,
  ratios,
  goals,
  load: { start: loadStart, end: loadavg().map((n) => +n.toFixed(2)) },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    `${users} users, each with a sender socket on node A and a receiver socket on node B (cross) or on the one node (single, no Redis); ${senderProcs} sender + ${receiverProcs} receiver processes`,
    `livegate per event on node A: token-expiry and audience check, per-user rate limit (off, or ${rateLimitRule} in Redis in the +ratelimit rows), zod validation, metrics, profile-cache invalidation (local + serverSideEmit to every node), emit to user room + admins except the sender`,
    `${stepMs} ms per step; cpu* = % of one core over the sending window (generator = all load processes); a/bUsPerEvent = CPU µs of node A/B per event sent, until the last one arrived`,
  ],
});
