/**
 * Location fixes absorbed per server core: drivers reporting on the plain
 * WebSocket (`/ws`) against the same drivers on Socket.IO, each on a fresh
 * gateway process, in the same run. Every driver sends one
 * `driver_location_update` a second without an ack; the server's CPU
 * seconds over the window (from /proc) give fixes per core-second.
 *   node --import tsx bench/scenarios/ws-intake.ts [--quick] [--drivers N] [--seconds S]
 * Goal: /ws absorbs at least 2× the fixes per core of Socket.IO.
 */
import { ClientWorker, sourceAddress } from '../lib/client-pool.ts';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { load, log, round, scenarioArgs, startTarget, token } from '../lib/targets.ts';
import { PlainClients } from './plain-pool.ts';

const args = scenarioArgs();
const { quick } = args;
const DRIVERS = Number(args.value('drivers') ?? (quick ? 2_000 : 5_000));
const SECONDS = Number(args.value('seconds') ?? (quick ? 10 : 30));
const startedAt = new Date();
const loadStart = load();

const VARIANTS = ['socketio', 'ws'] as const;
type Variant = (typeof VARIANTS)[number];

async function measure(variant: Variant): Promise<BenchRow> {
  // Positions are accepted as fast as they come: no location rate limit, no coalescing wait for anyone watching.
  const target = await startTarget('livegate', { env: { RATE_LIMIT_LOCATION: '0', LOCATION_HISTORY_FLUSH_MS: '1000' } });
  const engine = variant === 'socketio' ? new ClientWorker() : undefined;
  const plain = variant === 'ws' ? new PlainClients() : undefined;
  try {
    const specs = await Promise.all(Array.from({ length: DRIVERS }, async (_, i) => ({ token: await token(`bench-intake-${i}`, 'driver'), address: sourceAddress(i) })));
    const failed = engine ? (await engine.connect(target.url, specs, 200)).failed : (await plain!.connect('ws', target.url, specs, 200)).failed;
    const cpu0 = cpuSecondsOf(target.pid);
    const t0 = Date.now();
    let sent: number;
    if (engine) {
      const senders = specs.map((_, i) => ({ client: i, vehicleId: `v${i}`, latitude: 15.5 + i * 0.001, longitude: 32.55, phaseMs: (i * 1000) / DRIVERS }));
      sent = (await engine.send(senders, 1000, Date.now() + 200, SECONDS * 1000)).sent;
    } else {
      sent = (await plain!.send(SECONDS * 1000)).sent;
    }
    // What was sent is absorbed once the server's CPU settles.
    await new Promise((r) => setTimeout(r, 1500));
    const cpu = cpuSecondsOf(target.pid) - cpu0;
    const wallS = (Date.now() - t0) / 1000;
    const perCore = sent / cpu;
    log(`${variant}: ${sent} fixes in ${round(wallS, 1)} s, server CPU ${round(cpu, 2)} s → ${Math.round(perCore)} fixes per core-second; ${failed} failed connections`);
    return {
      impl: `livegate-${variant}`, variant: `${DRIVERS} drivers × 1/s for ${SECONDS} s`,
      metrics: { fixesPerCoreS: Math.round(perCore), fixes: sent, serverCpuS: round(cpu, 2), serverCoreShare: round(cpu / wallS, 2) },
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
    return { impl: `livegate-${v}`, metrics: {}, valid: false, note: `failed: ${(err as Error).message}` };
  }));
}
console.table(rows.map((r) => ({ impl: r.impl, ...r.metrics, valid: r.valid, note: r.note })));
const per = (impl: string) => rows.find((r) => r.impl === impl)?.metrics.fixesPerCoreS ?? null;
const a = per('livegate-ws');
const b = per('livegate-socketio');
const ratio = a !== null && b ? round(a / b, 2) : null;
report({
  scenario: 'ws-intake',
  title: `Location fixes per core: /ws vs Socket.IO (${DRIVERS.toLocaleString('en')} drivers)`,
  quick,
  command: `node --import tsx bench/scenarios/ws-intake.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'fixesPerCoreS', unit: 'fixes/core-s', higherIsBetter: true },
  rows,
  ratios: { 'ws/socketio fixesPerCoreS': ratio },
  goals: [{ name: 'location fixes absorbed per core on /ws vs Socket.IO (same run)', target: '≥ 2×', value: ratio, unit: '×', met: ratio !== null && ratio >= 2 }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: ['Both go through the same router, filter, index and history; the difference is the transport: Engine.IO framing and the Socket.IO parser vs one JSON.parse of the frame.'],
});
process.exit(0);
