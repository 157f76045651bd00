/**
 * Publish API: throughput of `POST /api/publish` (single messages and
 * batches) and end-to-end latency to SOCKETS sockets in one event room,
 * against a bare Socket.IO server doing `io.to(room).emit` for the same HTTP
 * call (bench/scenarios/publish-bare.ts), in the same run.
 *   node --import tsx bench/scenarios/publish.ts [--quick] [--sockets 10000] [--impls livegate,bare-socketio]
 *
 * Receivers are raw WebSocket clients in RECEIVERS processes, anonymous
 * (ALLOW_ANONYMOUS=true), spread over 127.0.0.x, each `join-event`ed (acked).
 * The publisher is this process, closed-loop (each request waits for its
 * answer; `CONCURRENCY` requests in flight). Latency = arrival − the
 * payload's `timestamp`, which the publisher sets as it sends. Bounded:
 * loopback only, fixed message counts, every wait has a deadline.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sourceAddress } from '../lib/client-pool.ts';
import { LogHistogram } from '../lib/log-histogram.ts';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { freePort, spawnGateway } from '../lib/spawn-server.ts';
import { load, log, round, scenarioArgs, SECRET, token } from '../lib/targets.ts';

const args = scenarioArgs();
const { quick } = args;
const IMPLS = (args.value('impls') ?? 'livegate,bare-socketio').split(',');
const SOCKETS = Number(args.value('sockets') ?? 10_000);
const RECEIVERS = 2;
const EVENT_ID = 'bench-concert';
const SINGLE = quick ? 100 : 300;
const CONCURRENCY = 4;
const BATCHES = quick ? 10 : 30;
const BATCH_SIZE = 50;
const startedAt = new Date();
const loadStart = load();

class Receivers {
  readonly proc: ChildProcess;
  private seq = 0;
  private readonly pending = new Map<number, (d: unknown) => void>();
  constructor() {
    this.proc = fork(fileURLToPath(new URL('./publish-receivers.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', '--max-old-space-size=2048'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: { id: number; data: unknown }) => (this.pending.get(m.id)?.(m.data), this.pending.delete(m.id)));
    process.once('exit', () => this.proc.kill('SIGKILL'));
  }
  call<T>(msg: Record<string, unknown>): Promise<T> {
    const id = this.seq++;
    return new Promise((resolve) => (this.pending.set(id, (d) => resolve(d as T)), this.proc.send({ ...msg, id })));
  }
}

async function startBare(): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./publish-bare.ts', import.meta.url))], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => proc.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not start')), 30_000);
    proc.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && (clearTimeout(timer), resolve()));
  });
  return { pid: proc.pid!, url: `http://127.0.0.1:${port}`, stop: async () => void proc.kill('SIGKILL') };
}

async function startLivegate() {
  const gw = await spawnGateway({ JWT_SECRET: SECRET, ALLOW_ANONYMOUS: 'true', RATE_LIMIT_AUTH: '0', LOG_LEVEL: 'error', SHUTDOWN_DRAIN_MS: '0' });
  return { pid: gw.proc.pid!, url: gw.url, stop: gw.stop };
}

const message = (i: number) => ({ to: { eventId: EVENT_ID }, event: 'ticket-purchased', data: { ticketId: `t-${i}`, buyer: `u-${i % 97}`, eventId: EVENT_ID, timestamp: Date.now() } });

interface Phase { name: string; messages: number; requestsPerS: number; deliveriesPerS: number; deliveriesPerSPerCore: number | null; serverCpuPct: number | null; p50: number; p99: number; max: number; received: number; expected: number }

async function phase(name: string, target: { pid: number; url: string }, receivers: Receivers[], auth: string, bodies: () => unknown[]): Promise<Phase> {
  await Promise.all(receivers.map((r) => r.call({ type: 'reset' })));
  const list = bodies();
  const messages = list.reduce<number>((n, b) => n + ((b as { messages?: unknown[] }).messages?.length ?? 1), 0);
  const expected = messages * SOCKETS;
  const cpu0 = cpuSecondsOf(target.pid);
  const t0 = performance.now();
  let next = 0;
  const post = async (body: unknown) => {
    const res = await fetch(`${target.url}/api/publish`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`publish ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  // Bodies are stamped as they are sent (the latency starts there).
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < list.length) {
      const i = next++;
      const b = list[i] as { messages?: { data: { timestamp: number } }[]; data?: { timestamp: number } };
      for (const m of b.messages ?? [b as { data: { timestamp: number } }]) m.data.timestamp = Date.now();
      await post(b);
    }
  }));
  const sentS = (performance.now() - t0) / 1000;
  let stats: { received: number; latency: number[] }[] = [];
  for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
    stats = await Promise.all(receivers.map((r) => r.call<{ received: number; latency: number[] }>({ type: 'stats' })));
    if (stats.reduce((n, s) => n + s.received, 0) >= expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(target.pid) - cpu0;
  const received = stats.reduce((n, s) => n + s.received, 0);
  const lat = LogHistogram.toLatency(stats.map((s) => s.latency)).summary();
  return {
    name, messages, requestsPerS: Math.round(list.length / sentS), deliveriesPerS: Math.round(received / wallS), deliveriesPerSPerCore: cpu > 0 ? Math.round(received / cpu) : null,
    serverCpuPct: round((cpu / wallS) * 100), p50: lat.p50, p99: lat.p99, max: lat.max, received, expected,
  };
}

async function measure(impl: string): Promise<Phase[]> {
  const target = impl === 'livegate' ? await startLivegate() : await startBare();
  const receivers = Array.from({ length: RECEIVERS }, () => new Receivers());
  try {
    const per = Math.ceil(SOCKETS / RECEIVERS);
    const connected = await Promise.all(receivers.map((r, k) => r.call<{ failed: number }>({
      type: 'connect', url: target.url, eventId: EVENT_ID, addresses: Array.from({ length: Math.min(per, SOCKETS - k * per) }, (_, i) => sourceAddress(k * per + i)),
    })));
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed) throw new Error(`${failed} receivers failed to connect or join`);
    log(`${impl}: ${SOCKETS} sockets in event:${EVENT_ID}`);
    const auth = `Bearer ${await token('bench-publisher', 'service')}`;
    const single = await phase('single', target, receivers, auth, () => Array.from({ length: SINGLE }, (_, i) => message(i)));
    log(`  ${impl} single: ${JSON.stringify(single)}`);
    const batch = await phase('batch', target, receivers, auth, () => Array.from({ length: BATCHES }, (_, b) => ({ messages: Array.from({ length: BATCH_SIZE }, (_, i) => message(b * BATCH_SIZE + i)) })));
    log(`  ${impl} batch of ${BATCH_SIZE}: ${JSON.stringify(batch)}`);
    return [single, batch];
  } finally {
    await Promise.all(receivers.map((r) => r.call({ type: 'close' }).catch(() => undefined)));
    await target.stop();
  }
}

const rows: BenchRow[] = [];
const byImpl: Record<string, Phase[]> = {};
for (const impl of IMPLS) {
  const phases = await measure(impl).catch((err: unknown) => (log(`${impl} failed: ${(err as Error).message}`), [] as Phase[]));
  byImpl[impl] = phases;
  if (!phases.length) rows.push({ impl, metrics: {}, valid: false, note: 'the run failed (see stderr)' });
  for (const p of phases) {
    rows.push({
      impl, variant: p.name === 'single' ? `single messages, ${CONCURRENCY} in flight` : `batches of ${BATCH_SIZE}`,
      metrics: { requestsPerS: p.requestsPerS, deliveriesPerS: p.deliveriesPerS, deliveriesPerSPerCore: p.deliveriesPerSPerCore, serverCpuPct: p.serverCpuPct, p50Ms: p.p50, p99Ms: p.p99, maxMs: p.max },
      valid: p.received === p.expected, note: p.received === p.expected ? '' : `received ${p.received} of ${p.expected}`,
    });
  }
}
console.table(rows.map((r) => ({ impl: r.impl, variant: r.variant, ...r.metrics, valid: r.valid, note: r.note })));
const get = (impl: string, name: string) => byImpl[impl]?.find((p) => p.name === name);
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? round(a / b, 2) : null);
const ratios = {
  'livegate/bare-socketio batch deliveriesPerS': ratio(get('livegate', 'batch')?.deliveriesPerS, get('bare-socketio', 'batch')?.deliveriesPerS),
  'livegate/bare-socketio single deliveriesPerS': ratio(get('livegate', 'single')?.deliveriesPerS, get('bare-socketio', 'single')?.deliveriesPerS),
  'livegate/bare-socketio batch p99': ratio(get('livegate', 'batch')?.p99, get('bare-socketio', 'batch')?.p99),
};
const batchRatio = ratios['livegate/bare-socketio batch deliveriesPerS'];
const perCore = get('livegate', 'batch')?.deliveriesPerSPerCore ?? null;
report({
  scenario: 'publish',
  title: `POST /api/publish to ${SOCKETS} sockets in one event room`,
  quick,
  command: `node --import tsx bench/scenarios/publish.ts${quick ? ' --quick' : ''}${SOCKETS !== 10_000 ? ` --sockets ${SOCKETS}` : ''}`,
  headline: { metric: 'deliveriesPerS', unit: 'deliveries/s', higherIsBetter: true },
  rows,
  ratios,
  goals: [
    { name: 'batch publish deliveries/s vs bare Socket.IO', target: '≥ 0.8×', value: batchRatio, unit: '×', met: batchRatio !== null && batchRatio >= 0.8 },
    { name: 'batch publish deliveries/s per server core', target: '≥ 50k', value: perCore, unit: 'deliveries/s/core', met: perCore !== null && perCore >= 50_000 },
  ],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    'deliveries = frames received by the sockets; deliveries/s from the first request to the last frame; per core = deliveries ÷ server CPU seconds over the phase.',
    'Livegate validates each message against its outbound schema, authenticates the caller and counts recipients; the baseline only parses and emits.',
  ],
});
process.exit(0);
