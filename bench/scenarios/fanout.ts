/**
 * Fan-out: frames delivered per second per server core to 1,000 subscribers.
 *   node --import tsx bench/scenarios/fanout.ts [--quick] [--impls livegate,bare-socketio] [--profile DIR]
 *
 * Path (Livegate's real one): a driver assigned to a vehicle (`POST
 * /api/vehicles`) sends `driver_location_update`; the location pipeline
 * (validation, filter, nearby index, history, fleet) emits `vehicle:location`
 * to `vehicle:{id}`, which 1,000 admin sockets joined with
 * `subscribe:vehicle` (acked). LOCATION_MIN_INTERVAL_MS=0 so every fix is
 * delivered (the coalescing is measured by location-throughput). Baselines
 * do the same delivery (bench/baselines/README.md).
 *
 * The driver is open-loop (each fix due on a whole-millisecond schedule and
 * stamped with that instant); the offered rate steps up until a step loses
 * frames or p99 exceeds 50 ms. Subscribers are raw WebSocket clients in two
 * processes (bench/lib/client-worker.ts), spread over 127.0.0.x. A step is
 * INVALID when the driver lagged > 50 ms, a generator process was saturated
 * (> 90 % of a core or event-loop p99 > 50 ms), or received ≠ expected.
 */
import { ClientWorker, sourceAddress, type WorkerStats } from '../lib/client-pool.ts';
import { LogHistogram } from '../lib/log-histogram.ts';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { cpuSplitOf, runQueueWaitS, createVehicles, IMPLS, load, log, round, scenarioArgs, startTarget, token, type Impl } from '../lib/targets.ts';

const { quick, impls = [...IMPLS], profileDir } = scenarioArgs();
const SUBSCRIBERS = Number(scenarioArgs().value('subscribers') ?? 1000);
const WORKERS = 2;
const STEP_MS = quick ? 3_000 : 8_000;
/** Fixes per second (1,000 frames each); whole-millisecond periods. */
const RATES = quick ? [100, 200] : [50, 100, 200, 250, 500];
const P99_LIMIT_MS = 50;
const VEHICLE = 'bench-fan-vehicle';
const DRIVER = 'bench-fan-driver';
const startedAt = new Date();
const loadStart = load();

interface Step {
  rate: number; expected: number; received: number; framesPerS: number; framesPerSPerCore: number | null; serverCpuPct: number | null;
  p50: number; p99: number; p999: number; max: number; maxLagMs: number; workerCpuPct: number; workerLoopP99Ms: number; errors: number;
  valid: boolean; sustained: boolean; note: string; sysPct: number | null; waitPct: number | null;
}

let idleCpuPct: number | null = null;

async function measure(impl: Impl): Promise<Step[]> {
  idleCpuPct = null;
  const target = await startTarget(impl, { env: { LOCATION_MIN_INTERVAL_MS: '0' }, profileDir: profileDir ? `${profileDir}/${impl}` : undefined });
  const workers = Array.from({ length: WORKERS }, () => new ClientWorker());
  // The driver has a process of its own, so receiving never delays its schedule.
  const sender = new ClientWorker();
  const steps: Step[] = [];
  try {
    await createVehicles(target.url, [{ id: VEHICLE, driverId: DRIVER }]);
    const first = await sender.connect(target.url, [{ token: await token(DRIVER, 'driver'), address: sourceAddress(0) }]);
    if (first.failed) throw new Error('driver did not connect');
    const subs = await Promise.all(Array.from({ length: SUBSCRIBERS }, async (_, i) => ({ token: await token(`bench-fan-admin-${i}`, 'admin'), address: sourceAddress(i + 1), subscribe: [VEHICLE] })));
    const per = Math.ceil(SUBSCRIBERS / WORKERS);
    const connected = await Promise.all(workers.map((w, k) => w.connect(target.url, subs.slice(k * per, (k + 1) * per), 100)));
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed) throw new Error(`${failed} subscribers failed to connect or subscribe`);
    // What the server burns with its subscribers connected and nothing sent (timers, sweeps, storage), for the reader.
    const idle0 = cpuSecondsOf(target.pid);
    const idleMs = quick ? 1_000 : 2_000;
    await new Promise((r) => setTimeout(r, idleMs));
    idleCpuPct = round(((cpuSecondsOf(target.pid) - idle0) / (idleMs / 1000)) * 100, 1);
    log(`${impl}: pid ${target.pid}, ${SUBSCRIBERS} subscribers on ${VEHICLE}, idle CPU ${idleCpuPct} %`);

    for (const rate of RATES) {
      await Promise.all([...workers, sender].map((w) => w.reset()));
      const cpu0 = cpuSecondsOf(target.pid);
      const split0 = cpuSplitOf(target.pid);
      const wait0 = runQueueWaitS(target.pid);
      const monoFrom = process.hrtime.bigint() / 1000n;
      const wcpu0 = workers.map((w) => w.cpuSeconds());
      const t0 = Date.now();
      const start = Math.ceil(t0 / 100) * 100 + 200;
      const sent = await sender.send([{ client: 0, vehicleId: VEHICLE, latitude: 15.5, longitude: 32.5, phaseMs: 0 }], 1000 / rate, start, STEP_MS);
      const expected = sent.sent * SUBSCRIBERS;
      let stats: WorkerStats[] = [];
      for (let waited = 0; waited < 5_000; waited += 100) {
        stats = await Promise.all(workers.map((w) => w.stats()));
        if (stats.reduce((n, s) => n + s.received, 0) >= expected) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const cpu = cpuSecondsOf(target.pid) - cpu0;
      const split = cpuSplitOf(target.pid);
      const waitPct = round(((runQueueWaitS(target.pid) - wait0) / ((Date.now() - start) / 1000)) * 100);
      if (profileDir) log(`  ${impl} profile window (CLOCK_MONOTONIC µs) ${monoFrom}:${process.hrtime.bigint() / 1000n}`);
      const sysPct = cpu > 0 ? round(((split.sys - split0.sys) / cpu) * 100) : null;
      const wall = (Date.now() - start) / 1000;
      const received = stats.reduce((n, s) => n + s.received, 0);
      const h = LogHistogram.toLatency(stats.map((s) => s.latency));
      const lat = h.summary();
      const workerCpuPct = Math.max(...workers.map((w, k) => ((w.cpuSeconds() - wcpu0[k]!) / ((Date.now() - t0) / 1000)) * 100));
      const workerLoopP99Ms = Math.max(...stats.map((s) => s.loopDelayP99Ms));
      const errors = stats.reduce((n, s) => n + s.errors, 0);
      const problems = [
        sent.maxLagMs > 50 ? `driver lagged ${round(sent.maxLagMs)} ms` : '',
        workerCpuPct > 90 || workerLoopP99Ms > 50 ? `generator saturated (${round(workerCpuPct)} % CPU, loop p99 ${round(workerLoopP99Ms, 1)} ms)` : '',
        received !== expected ? `received ${received} of ${expected}` : '',
        errors ? `${errors} error events` : '',
      ].filter(Boolean);
      const step: Step = {
        rate, expected, received, framesPerS: Math.round(received / (STEP_MS / 1000)),
        framesPerSPerCore: cpu > 0 ? Math.round(received / cpu) : null, serverCpuPct: round((cpu / wall) * 100),
        p50: lat.p50, p99: lat.p99, p999: lat.p999, max: lat.max, maxLagMs: round(sent.maxLagMs, 1)!, workerCpuPct: round(workerCpuPct)!, workerLoopP99Ms: round(workerLoopP99Ms, 1)!, errors,
        sysPct, waitPct, valid: problems.length === 0, sustained: problems.length === 0 && lat.p99 <= P99_LIMIT_MS,
        note: problems.length ? `INVALID: ${problems.join('; ')}` : lat.p99 > P99_LIMIT_MS ? `lagging: p99 ${lat.p99} ms > ${P99_LIMIT_MS} ms` : '',
      };
      steps.push(step);
      log(`  ${impl} ${rate} fixes/s → ${step.framesPerS} frames/s, ${step.framesPerSPerCore} frames/s/core, server ${step.serverCpuPct} % CPU (${sysPct} % of it kernel, waited for a CPU ${waitPct} % of the time), p99 ${lat.p99} ms, generator ${step.workerCpuPct} % ${step.note}`);
      if (!step.sustained) break;
    }
  } finally {
    await Promise.all([...workers, sender].map((w) => w.close()));
    await target.stop();
  }
  return steps;
}

const rows: BenchRow[] = [];
const notes: string[] = [];
const allSteps: Record<string, Step[]> = {};
for (const impl of impls) {
  const steps = await measure(impl).catch((err: unknown) => {
    log(`${impl} failed: ${(err as Error).message}`);
    return [] as Step[];
  });
  allSteps[impl] = steps;
  const best = [...steps].reverse().find((s) => s.sustained) ?? steps[0];
  if (!best) {
    rows.push({ impl, metrics: {}, valid: false, note: 'the run failed (see stderr)' });
    continue;
  }
  const last = steps[steps.length - 1]!;
  rows.push({
    impl,
    variant: `${best.rate} fixes/s × ${SUBSCRIBERS}`,
    metrics: {
      framesPerSPerCore: best.framesPerSPerCore, framesPerS: best.framesPerS, maxSustainedFixesPerS: best.sustained ? best.rate : null,
      serverCpuPct: best.serverCpuPct, serverKernelPct: best.sysPct, serverRunQueueWaitPct: best.waitPct, serverIdleCpuPct: idleCpuPct, p50Ms: best.p50, p99Ms: best.p99, p999Ms: best.p999, maxMs: best.max,
    },
    valid: best.valid,
    note: [best.note, last !== best ? `next step ${last.rate}/s: ${last.note || `p99 ${last.p99} ms`}` : best.sustained ? 'highest step offered was sustained' : 'no step was sustained'].filter(Boolean).join('; '),
  });
  notes.push(`${impl} steps: ${steps.map((s) => `${s.rate}/s → ${s.framesPerS} frames/s, ${s.framesPerSPerCore} /core, CPU ${s.serverCpuPct} % (kernel ${s.sysPct} %, run-queue wait ${s.waitPct} %), p99 ${s.p99} ms${s.note ? ` (${s.note})` : ''}`).join(' | ')}`);
}

console.table(rows.map((r) => ({ impl: r.impl, variant: r.variant, ...r.metrics, valid: r.valid, note: r.note })));
const metric = (impl: string, m: string) => rows.find((r) => r.impl === impl)?.metrics[m] ?? null;
const ratio = (a: number | null, b: number | null) => (a !== null && b ? round(a / b, 2) : null);
const ratios: Record<string, number | null> = {};
for (const base of impls.filter((i) => i !== 'livegate')) {
  ratios[`livegate/${base} framesPerSPerCore`] = ratio(metric('livegate', 'framesPerSPerCore'), metric(base, 'framesPerSPerCore'));
  ratios[`livegate/${base} p99`] = ratio(metric('livegate', 'p99Ms'), metric(base, 'p99Ms'));
}
const lg = rows.find((r) => r.impl === 'livegate');
const value = lg?.metrics.framesPerSPerCore ?? null;
report({
  scenario: 'fanout',
  title: `Fan-out to ${SUBSCRIBERS} subscribers (vehicle:location)`,
  quick,
  command: `node --import tsx bench/scenarios/fanout.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'framesPerSPerCore', unit: 'frames/s/core', higherIsBetter: true },
  rows,
  ratios,
  goals: [{ name: `fan-out frames/s per server core at ${SUBSCRIBERS} subscribers`, target: '≥ 100k frames/s/core', value, unit: 'frames/s/core', met: !!lg?.valid && value !== null && value >= 100_000 }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    'serverRunQueueWaitPct = time the server was runnable but waiting for a CPU (/proc/PID/schedstat) over the step: high values mean the machine was shared with other work and latencies are inflated by it.',
    'frames/s/core = frames delivered ÷ server CPU seconds (user+system from /proc) over the step, at the highest step that lost nothing with p99 ≤ 50 ms.',
    'Livegate runs with LOCATION_MIN_INTERVAL_MS=0 (every fix delivered); positions go through its full location pipeline (PGlite in memory).',
    ...notes,
  ],
});
process.exit(0);
