/**
 * Dispatch latency and throughput with 10,000 online drivers.
 *   npm run bench:dispatch -- [--drivers 10000] [--sockets 200] [--passengers 20] [--samples 300] [--seconds 10]
 *
 * The gateway runs in its own process (this file with --serve): PGlite in
 * memory, the geo index seeded with `drivers` drivers, of which `sockets` are
 * connected over raw WebSockets in hotspots of 20 (the rest are index-only,
 * spread over a 15 km disc but never within 300 m of a hotspot, so a
 * hotspot's first wave is exactly its 20 connected drivers). Measured on
 * loopback, from this process:
 *   1. baseline: `ping` → `pong`, one at a time, then `passengers` in parallel;
 *   2. trip_request → the last of the first wave's 20 `new_trip_available`, one at a time (p50/p99);
 *   3. sustained trip requests/s: `passengers` loops of request → offers → cancel → `trip_unavailable`.
 * Goal: p99 ≤ 50 ms for (2).
 * Runs on PGlite, then on a throwaway PostgreSQL (fsync off) when its binaries are installed
 * (`--storage pglite|postgres|both`, default both; DATABASE_URL set → that server is used).
 * `--quick`: 100 samples, 3 s of load, 100 driver sockets (the suite's smoke mode).
 * Ends with the suite's BENCH_RESULT line (bench/lib/result.ts).
 */
import { spawn } from 'node:child_process';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { findPostgresBin, startPostgres } from '../test/helpers/postgres.ts';
import { report, type BenchGoal, type BenchRow } from './lib/result.ts';
import { WireClient } from './lib/wire-client.ts';

const flags = parseFlags(process.argv.slice(2));
const QUICK = flags.quick === true;
const num = (name: string, def: number, quickDef = def) => Number(flags[name] ?? (QUICK ? quickDef : def));
const DRIVERS = num('drivers', 10_000);
const SOCKETS = num('sockets', 200, 100);
const PASSENGERS = num('passengers', 20);
const SAMPLES = num('samples', 300, 100);
const SECONDS = num('seconds', 10, 3);
const WAVE = 20;
const HOTSPOTS = Math.max(1, Math.floor(SOCKETS / WAVE));
const CENTER = { latitude: 15.5007, longitude: 32.5532 };
const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const M_PER_DEG = 111_320;

/** Hotspot h: on a 3 km ring grid around the centre, far enough apart that waves never overlap. */
function hotspot(h: number) {
  const ring = 2 + Math.floor(h / 8);
  const angle = ((h % 8) / 8) * 2 * Math.PI;
  return { latitude: CENTER.latitude + (ring * 3000 * Math.sin(angle)) / M_PER_DEG, longitude: CENTER.longitude + (ring * 3000 * Math.cos(angle)) / M_PER_DEG };
}
const offset = (p: { latitude: number; longitude: number }, northM: number, eastM: number) => ({
  latitude: p.latitude + northM / M_PER_DEG,
  longitude: p.longitude + eastM / (M_PER_DEG * Math.cos((p.latitude * Math.PI) / 180)),
});

if (flags.serve) await serve();
else await measureAll();

/** Child process: the gateway with a seeded index. Prints `READY <port>`. */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.ts');
  const { createApp } = await import('../src/app.ts');
  const { distanceM } = await import('../src/core/geo.ts');
  const app = await createApp(loadConfig(process.env));
  const now = Date.now();
  const spots = Array.from({ length: HOTSPOTS }, (_, h) => hotspot(h));
  let seeded = 0;
  for (let h = 0; h < HOTSPOTS; h++) {
    for (let j = 0; j < WAVE && seeded < SOCKETS; j++, seeded++) {
      const p = offset(spots[h]!, (j % 5) * 20, Math.floor(j / 5) * 20);
      app.geo.upsert({ driverId: `bench-d${seeded}`, ...p, at: now, isAvailable: true, vehicleType: 'sedan' });
    }
  }
  // Index-only drivers: a deterministic spread over a 15 km disc, never within 300 m of a hotspot.
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = seeded; i < DRIVERS; ) {
    const r = 15_000 * Math.sqrt(rand());
    const a = rand() * 2 * Math.PI;
    const p = offset(CENTER, r * Math.sin(a), r * Math.cos(a));
    if (spots.some((s) => distanceM(s.latitude, s.longitude, p.latitude, p.longitude) < 300)) continue;
    app.geo.upsert({ driverId: `bench-x${i}`, ...p, at: now, isAvailable: true, vehicleType: 'sedan' });
    i++;
  }
  const { port } = await app.listen();
  console.log(`READY ${port} ${app.geo.size}`);
  process.on('SIGTERM', () => void app.shutdown().then(() => process.exit(0)));
}

interface Offer { tripId: string }

/** Every wait is bounded: a lost event fails the run with a reason instead of hanging it. */
function bounded<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
type Waiter = { tripId: string; need: number; seen: number; done: () => void };

type Measured = Awaited<ReturnType<typeof run>>;

/** Runs the measurement on each storage and prints the suite's result line. */
async function measureAll(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  const storage = String(flags.storage ?? 'both');
  const rows: BenchRow[] = [];
  const goals: BenchGoal[] = [];
  const ratios: Record<string, number | null> = {};
  const notes: string[] = [];
  const storages: { name: string; url: () => Promise<{ url?: string; stop: () => Promise<void> } | null> }[] = [];
  if (storage !== 'postgres') storages.push({ name: 'PGlite', url: async () => ({ stop: async () => undefined }) });
  if (storage !== 'pglite') {
    const external = process.env.DATABASE_URL;
    if (external) storages.push({ name: 'PostgreSQL', url: async () => ({ url: external, stop: async () => undefined }) });
    else if (findPostgresBin()) storages.push({ name: 'PostgreSQL', url: startPostgres });
    else notes.push('PostgreSQL binaries not found: no PostgreSQL row.');
  }
  for (const { name, url } of storages) {
    console.error(`dispatch on ${name}: ${DRIVERS} drivers, ${SOCKETS} driver sockets, ${SAMPLES} samples, ${SECONDS} s of load`);
    const db = await url().catch((err: Error) => (notes.push(`${name}: could not start: ${err.message}`), null));
    if (!db) continue;
    try {
      const m = await measure(db.url);
      rows.push({
        impl: 'livegate', variant: name, valid: m.samples >= SAMPLES,
        metrics: {
          dispatchP50Ms: m.dispatchP50Ms, dispatchP99Ms: m.dispatchP99Ms, dispatchP999Ms: m.dispatchP999Ms, dispatchMaxMs: m.dispatchMaxMs,
          pingP50Ms: m.pingP50Ms, pingP99Ms: m.pingP99Ms, loadedP50Ms: m.loadedP50Ms, loadedP99Ms: m.loadedP99Ms, tripRequestsPerS: m.tripRequestsPerS, drivers: m.drivers,
        },
      });
      ratios[`dispatch/ping p99 (${name})`] = m.p99VsPing;
      goals.push({ name: `dispatch p99 (${name})`, target: '≤ 50 ms', value: m.dispatchP99Ms, unit: 'ms', met: m.dispatchP99Ms <= 50 });
    } catch (err) {
      rows.push({ impl: 'livegate', variant: name, valid: false, metrics: { dispatchP99Ms: null }, note: `run failed: ${(err as Error).message}` });
      goals.push({ name: `dispatch p99 (${name})`, target: '≤ 50 ms', value: null, unit: 'ms', met: false });
    } finally {
      await db.stop();
    }
  }
  report({
    scenario: 'dispatch', title: `Dispatch at ${DRIVERS.toLocaleString('en-US')} drivers`, quick: QUICK,
    command: `node --import tsx bench/dispatch.ts ${process.argv.slice(2).join(' ')}`.trim(),
    headline: { metric: 'dispatchP99Ms', unit: 'ms', higherIsBetter: false },
    rows, ratios, goals, load: { start: loadStart, end: loadavg() }, startedAt,
    durationS: Math.round((Date.now() - Date.parse(startedAt)) / 100) / 10,
    notes: [
      `trip_request → the last of the first wave's ${WAVE} new_trip_available, one request in flight; ping → pong on the same connections is the baseline; "loaded" is ${PASSENGERS} passengers in closed request/cancel loops.`,
      'PostgreSQL here is a throwaway local server with fsync and synchronous_commit off.',
      ...notes,
    ],
  });
}

async function measure(databaseUrl: string | undefined): Promise<Measured> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', ...process.argv.slice(2)], {
    env: {
      ...env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory', LOG_LEVEL: 'warn', JWT_SECRET: SECRET,
      HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', RATE_LIMIT_DEFAULT: '0', SHUTDOWN_DRAIN_MS: '0',
      // Positions are seeded once: keep them fresh for the whole run.
      DRIVER_STALE_AFTER_S: '3600', TRIP_OFFERS_PER_WAVE: String(WAVE),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('READY') && resolve(line));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const [, port, indexSize] = ready.split(' ');
  const url = `http://127.0.0.1:${port}`;
  try {
    return await run(url, Number(indexSize));
  } finally {
    child.kill('SIGKILL');
  }
}

async function run(url: string, indexSize: number) {
  // Drivers: count offers and withdrawals per trip, wake whoever waits for them.
  const offerWaiters = new Map<string, Waiter>();
  const withdrawWaiters = new Map<string, Waiter>();
  const hit = (waiters: Map<string, Waiter>, tripId: string) => {
    const w = waiters.get(tripId);
    if (w && ++w.seen >= w.need) {
      waiters.delete(tripId);
      w.done();
    }
  };
  const early = new Map<string, number>();
  const drivers = await connectAll(SOCKETS, (i) => `bench-d${i}`, 'driver', url, (event, payload) => {
    const { tripId } = payload as Offer;
    if (event === 'new_trip_available') {
      if (offerWaiters.has(tripId)) hit(offerWaiters, tripId);
      else early.set(tripId, (early.get(tripId) ?? 0) + 1);
    } else if (event === 'trip_unavailable') hit(withdrawWaiters, tripId);
  });
  const sent = new Map<number, (tripId: string) => void>();
  const pongs = new Map<number, () => void>();
  const passengers = await connectAll(PASSENGERS, (i) => `bench-p${i}`, 'passenger', url, (event, payload, _raw, i) => {
    if (event === 'trip_request_sent') sent.get(i)?.((payload as Offer).tripId);
    else if (event === 'pong') pongs.get(i)?.();
    else if (event === 'trip_request_failed' || event === 'error') console.error('passenger', i, event, JSON.stringify(payload));
  });

  const ping = (i: number) => bounded(new Promise<void>((resolve) => {
    pongs.set(i, resolve);
    passengers[i]!.emit('ping');
  }), 'pong');
  /** One trip: request → first wave delivered (the latency) → cancel → withdrawn. */
  const trip = async (i: number, h: number, hist: RecordableHistogram): Promise<void> => {
    const at = hotspot(h);
    const t0 = performance.now();
    const tripIdP = new Promise<string>((resolve) => sent.set(i, resolve));
    passengers[i]!.emit('trip_request', { pickupAddress: `Hotspot ${h}`, pickupLatitude: at.latitude, pickupLongitude: at.longitude, dropoffAddress: 'Centre', dropoffLatitude: CENTER.latitude, dropoffLongitude: CENTER.longitude, tripType: 'standard', paymentMethod: 'cash' });
    const tripId = await bounded(tripIdP, `trip_request_sent for passenger ${i}`);
    await bounded(new Promise<void>((resolve) => {
      const already = early.get(tripId) ?? 0;
      early.delete(tripId);
      if (already >= WAVE) return resolve();
      offerWaiters.set(tripId, { tripId, need: WAVE, seen: already, done: resolve });
    }), `${WAVE} offers of ${tripId} (seen ${offerWaiters.get(tripId)?.seen ?? '?'})`);
    hist.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    const withdrawn = new Promise<void>((resolve) => withdrawWaiters.set(tripId, { tripId, need: 1, seen: 0, done: resolve }));
    passengers[i]!.emit('trip_cancel', { tripId, reason: 'bench' });
    await bounded(withdrawn, `trip_unavailable after cancelling ${tripId}`);
  };

  // Warm-up (JIT, PGlite caches, profile cache).
  for (let k = 0; k < 30; k++) await trip(k % PASSENGERS, k % HOTSPOTS, createHistogram());
  for (let k = 0; k < 50; k++) await ping(0);

  const pingHist = createHistogram();
  for (let k = 0; k < SAMPLES; k++) {
    const t0 = performance.now();
    await ping(k % PASSENGERS);
    pingHist.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
  }
  const tripHist = createHistogram();
  for (let k = 0; k < SAMPLES; k++) await trip(k % PASSENGERS, k % HOTSPOTS, tripHist);

  const loops = async (body: (i: number, k: number) => Promise<void>) => {
    const deadline = performance.now() + SECONDS * 1000;
    let count = 0;
    await Promise.all(Array.from({ length: PASSENGERS }, async (_, i) => {
      for (let k = 0; performance.now() < deadline; k++, count++) await body(i, k);
    }));
    return count / SECONDS;
  };
  const pingRate = await loops((i) => ping(i));
  const loadHist = createHistogram();
  const tripRate = await loops((i, k) => trip(i, (i + k) % HOTSPOTS, loadHist));

  const ms = (h: RecordableHistogram, p: number) => +(h.percentile(p) / 1000).toFixed(2);
  const rows = [
    { measure: 'ping → pong (baseline)', p50_ms: ms(pingHist, 50), p99_ms: ms(pingHist, 99), per_s: Math.round(pingRate) },
    { measure: 'trip_request → last new_trip_available (1 in flight)', p50_ms: ms(tripHist, 50), p99_ms: ms(tripHist, 99), per_s: null },
    { measure: `same, under load (${PASSENGERS} passengers, request+cancel loops)`, p50_ms: ms(loadHist, 50), p99_ms: ms(loadHist, 99), per_s: Math.round(tripRate) },
  ];
  console.table(rows);
  const result = {
    drivers: indexSize, driverSockets: SOCKETS, passengers: PASSENGERS, wave: WAVE, samples: SAMPLES, seconds: SECONDS,
    pingP50Ms: rows[0]!.p50_ms, pingP99Ms: rows[0]!.p99_ms, pingsPerS: rows[0]!.per_s,
    dispatchP50Ms: rows[1]!.p50_ms, dispatchP99Ms: rows[1]!.p99_ms,
    loadedP50Ms: rows[2]!.p50_ms, loadedP99Ms: rows[2]!.p99_ms, tripRequestsPerS: rows[2]!.per_s,
    p50VsPing: +(rows[1]!.p50_ms / rows[0]!.p50_ms).toFixed(1), p99VsPing: +(rows[1]!.p99_ms / rows[0]!.p99_ms).toFixed(1),
    goalP99Le50Ms: rows[1]!.p99_ms <= 50,
  };
  console.log(JSON.stringify(result));
  for (const c of [...drivers, ...passengers]) c.close();
  return { ...result, dispatchP999Ms: ms(tripHist, 99.9), dispatchMaxMs: +(tripHist.max / 1000).toFixed(2), samples: tripHist.count };
}

/** Connects `n` raw-WebSocket clients in batches; `onEvent` gets the client's index. */
async function connectAll(n: number, sub: (i: number) => string, role: 'driver' | 'passenger', url: string, onEvent: (event: string, payload: unknown, raw: string, i: number) => void): Promise<WireClient[]> {
  const clients: WireClient[] = [];
  for (let i = 0; i < n; i += 50) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(i + 50, n); j++) {
      const c = new WireClient(url, await signToken(SECRET, { sub: sub(j), role, ttl: '2h' }));
      c.onEvent = (event, payload, raw) => onEvent(event, payload, raw, j);
      clients.push(c);
      batch.push(c.connect());
    }
    await Promise.all(batch);
  }
  return clients;
}
