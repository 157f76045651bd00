/**
 * End-to-end driver-position relay under load, Livegate against bare Socket.IO.
 *   npm run bench:relay                 (6,000 drivers, one fix / 2 s, ~30,000 deliveries/s; Livegate then bare Socket.IO)
 *   npm run bench:relay -- --quick      (1,500 drivers, 15 s window)
 *   npm run bench:relay -- --drivers 6000 --watchers 9 --seconds 60 --warmup 10 [--impls livegate] [--postgres] [--profile DIR]
 *
 * Each server runs in its own process (bench/lib/targets.ts); clients are raw
 * WebSockets (bench/lib/wire-client.ts) spread over 127.0.0.x. On Livegate
 * every driver gets a real trip through the trips module (trip_request →
 * offer → trip_accept), so each fix is relayed to the trip's passenger
 * (`user:{id}`) and to `driver_location:{id}`, which `--watchers` admin
 * sockets per driver have joined: 1 + watchers deliveries per fix. (A process
 * may hold 20,000 descriptors here, so watchers are admin sockets watching
 * several drivers each.) Bare Socket.IO (bench/baselines/bare-socketio.ts)
 * relays a fix to the driver's room, which the passenger joined too: the
 * same deliveries, without validation, trips, ETA, history or coalescing.
 *
 * Senders are open-loop: each driver's fixes are due on a fixed schedule and
 * carry the instant they were due (`timestamp`), sent even when late, and
 * latency is measured from that instant to arrival (no coordinated
 * omission). Loss = deliveries due for fixes sent in the window − deliveries
 * received. Baseline in every run: `ping` → `pong` round trips, idle and under load.
 * A run is invalid when the sender fell more than 50 ms behind or this
 * (client) process used more than 90 % of a core.
 * Goals (Livegate): p99 ≤ 20 ms, p99.9 ≤ 50 ms, nothing lost, server ≤ 70 % of one core.
 */
import { loadavg } from 'node:os';
import { parseFlags } from '../src/cli/args.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { startLoopDelayWindow, type LoopDelay } from './lib/loop-delay.ts';
import { runRelay, type RelayResult } from './lib/relay-run.ts';
import { report, type BenchRow } from './lib/result.ts';
import { SECRET, startTarget, type Impl } from './lib/targets.ts';

const flags = parseFlags(process.argv.slice(2));
const quick = flags.quick === true;
const num = (name: string, def: number) => Number(flags[name] ?? def);
const opts = {
  drivers: num('drivers', quick ? 1_500 : 6_000), watchers: num('watchers', 9), periodMs: num('period-ms', 2_000),
  seconds: num('seconds', quick ? 15 : 60), warmupS: num('warmup', quick ? 5 : 10),
};
const impls = String(flags.impls ?? 'livegate,bare-socketio').split(',') as Impl[];
const log = (s: string) => process.stderr.write(`${s}\n`);
const startedAt = new Date();
const loadStart = loadavg().map((x) => +x.toFixed(2));

const pg = flags.postgres ? await startPostgres() : null;
const results: (RelayResult & { loop: LoopDelay | null })[] = [];
try {
  for (const impl of impls) {
    const target = await startTarget(impl, {
      env: { TRIP_SWEEP_INTERVAL_MS: '5000', MAX_CONNECTIONS_PER_USER: '10', ...(pg ? { DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '10' } : {}) },
      profileDir: typeof flags.profile === 'string' ? flags.profile : undefined,
    });
    try {
      // The server's own event-loop delay over the window (Livegate's /metrics; the baselines have none).
      let window: Promise<{ end(): Promise<LoopDelay> }> | undefined;
      let loop: Promise<LoopDelay | null> = Promise.resolve(null);
      const onWindow = impl !== 'livegate' ? undefined : (phase: 'start' | 'end') => {
        if (phase === 'start') window = startLoopDelayWindow(target.url);
        else loop = (window ?? Promise.reject(new Error('no window'))).then((w) => w.end()).catch((err: unknown) => (log(`loop delay: ${(err as Error).message}`), null));
      };
      const r = await runRelay({ ...opts, impl, url: target.url, pid: target.pid, secret: SECRET, trips: impl === 'livegate', log, onWindow });
      results.push({ ...r, loop: await loop });
    } finally {
      await target.stop();
    }
  }
} finally {
  await pg?.stop();
}

const invalidWhy = (r: RelayResult) => [
  r.maxSendLateMs > 50 ? `sender ${r.maxSendLateMs} ms behind` : '',
  r.clientCpuPctOfOneCore > 90 ? `client at ${r.clientCpuPctOfOneCore} % of a core` : '',
].filter(Boolean).join('; ');
console.table(results.map((r) => {
  const { worstBySecond: _w, pingIdle, pingLoaded, loop, ...rest } = r;
  return { ...rest, loopP99: loop ? `${loop.p99Ms} ms` : '-', pingIdle: `${pingIdle.p50ms}/${pingIdle.p99ms} ms`, pingLoaded: `${pingLoaded.p50ms}/${pingLoaded.p99ms} ms`, invalid: invalidWhy(r) || '-' };
}));
if (flags.timeline) for (const r of results) log(`${r.impl} worst latency per second (ms): ${r.worstBySecond.join(' ')}`);

const rows: BenchRow[] = results.map((r) => ({
  impl: r.impl,
  variant: `${r.drivers} drivers, ${r.deliveriesPerFix} deliveries/fix${r.impl === 'livegate' ? (pg ? ', PostgreSQL' : ', PGlite') : ''}`,
  metrics: {
    p50Ms: r.p50ms, p99Ms: r.p99ms, p999Ms: r.p999ms, maxMs: r.maxms, deliveriesPerS: r.deliveriesPerS, lost: r.lost,
    serverCpuPct: r.serverCpuPctOfOneCore, clientCpuPct: r.clientCpuPctOfOneCore, serverRssMiB: r.serverRssMiB,
    pingLoadedP99Ms: r.pingLoaded.p99ms, serverLoopDelayP99Ms: r.loop?.p99Ms ?? null, serverLoopDelayMaxMs: r.loop?.maxMs ?? null, maxSendLateMs: r.maxSendLateMs,
  },
  valid: !invalidWhy(r),
  ...(invalidWhy(r) ? { note: invalidWhy(r) } : {}),
}));
const lg = results.find((r) => r.impl === 'livegate');
const bare = results.find((r) => r.impl === 'bare-socketio');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? +(a / b).toFixed(2) : null);
report({
  scenario: 'relay',
  title: 'End-to-end position relay (driver → passenger + watchers)',
  quick,
  command: `npm run bench:relay${quick ? ' -- --quick' : ''}`,
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows,
  ratios: {
    'livegate/bare-socketio p99': ratio(lg?.p99ms, bare?.p99ms),
    'livegate/bare-socketio p50': ratio(lg?.p50ms, bare?.p50ms),
    'livegate/bare-socketio server CPU': ratio(lg?.serverCpuPctOfOneCore, bare?.serverCpuPctOfOneCore),
  },
  goals: lg ? [
    { name: 'relay p99', target: '≤ 20 ms', value: lg.p99ms, unit: 'ms', met: lg.p99ms <= 20 },
    { name: 'relay p99.9', target: '≤ 50 ms', value: lg.p999ms, unit: 'ms', met: lg.p999ms <= 50 },
    { name: 'lost deliveries', target: '0', value: lg.lost, unit: '', met: lg.lost === 0 },
    { name: 'server CPU', target: '≤ 70 % of one core', value: lg.serverCpuPctOfOneCore, unit: '%', met: lg.serverCpuPctOfOneCore <= 70 },
    { name: 'server event-loop delay p99', target: '≤ 10 ms', value: lg.loop?.p99Ms ?? null, unit: 'ms', met: lg.loop !== null && lg.loop.p99Ms <= 10 },
  ] : [],
  load: { start: loadStart, end: loadavg().map((x) => +x.toFixed(2)) },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: [
    'Latency from the instant each fix was due (open loop); bare Socket.IO relays without validation, trips, ETA, history or coalescing.',
    'serverLoopDelayP99Ms: how late the server\'s event loop ran a 20 ms timer (monitorEventLoopDelay through prom-client, bench/lib/loop-delay.ts) over the measurement window; Livegate only.',
  ],
});
process.exit(0);
