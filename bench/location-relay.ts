/**
 * End-to-end driver-position relay under load.
 *   npm run bench:relay                               (6,000 drivers, one fix / 2 s, ~30,000 deliveries/s)
 *   npm run bench:relay -- --drivers 6000 --watchers 9 --seconds 60 --warmup 10 [--postgres]
 *
 * The gateway runs in its own process (bench/lib/spawn-server.ts); clients are
 * raw WebSockets (bench/lib/wire-client.ts) spread over 127.0.0.x. Every
 * driver gets a real trip through the trips module (trip_request → offer →
 * trip_accept), so each fix is relayed to the trip's passenger (`user:{id}`)
 * and to `driver_location:{id}`, which `--watchers` admin sockets per driver
 * have joined: 1 + watchers deliveries per fix. (A process may hold 20,000
 * descriptors here, so watchers are admin sockets watching several drivers
 * each, not one socket per watcher.)
 *
 * Senders are open-loop: each driver's fixes are due on a fixed schedule and
 * carry the instant they were due (`timestamp`), sent even when late, and
 * latency is measured from that instant to arrival (no coordinated
 * omission). Loss = deliveries due for fixes sent in the window − deliveries
 * received. Baseline, same run: `ping` → `pong` round trips, idle and under load.
 * Goals: p99 ≤ 20 ms, p99.9 ≤ 50 ms, nothing lost, server ≤ 70 % of one core.
 */
import type { ChildProcess } from 'node:child_process';
import { signToken } from '../src/auth/token-signer.ts';
import { parseFlags } from '../src/cli/args.ts';
import { startPostgres } from '../test/helpers/postgres.ts';
import { cpuSecondsOf, rssOf } from './lib/proc.ts';
import { spawnGateway } from './lib/spawn-server.ts';
import { WireClient } from './lib/wire-client.ts';

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, def: number) => Number(flags[name] ?? def);
const DRIVERS = num('drivers', 6_000);
const WATCHERS = num('watchers', 9);
const PERIOD_MS = num('period-ms', 2_000);
const SECONDS = num('seconds', 60);
const WARMUP_S = num('warmup', 10);
const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const M_PER_DEG = 111_320;

/** Client side of one socket: events by name to one-shot waiters, plus a catch-all. */
class Peer {
  readonly wire: WireClient;
  private readonly waiters = new Map<string, ((p: unknown) => void)[]>();
  onAny: (event: string, payload: unknown) => void = () => undefined;
  constructor(url: string, token: string, address: string) {
    this.wire = new WireClient(url, token, address);
    this.wire.onEvent = (event, payload) => {
      const list = this.waiters.get(event);
      const first = list?.shift();
      if (first) first(payload);
      else this.onAny(event, payload);
    };
  }
  once<T>(event: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(event) ?? [];
      list.push((p) => (clearTimeout(timer), resolve(p as T)));
      this.waiters.set(event, list);
    });
  }
}

/** Driver i's spot: 25 km apart, so each trip request offers exactly one driver. */
const spot = (i: number) => ({ latitude: -10 + Math.floor(i / 80) * 0.25, longitude: 10 + (i % 80) * 0.25 });
const north = (p: { latitude: number; longitude: number }, m: number) => ({ latitude: p.latitude + m / M_PER_DEG, longitude: p.longitude });
const address = (i: number) => `127.0.0.${2 + (i % 50)}`;

async function connectAll(url: string, subs: { sub: string; role: 'driver' | 'passenger' | 'admin' }[], offset: number): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let i = 0; i < subs.length; i += 500) {
    const wave = await Promise.all(subs.slice(i, i + 500).map(async ({ sub, role }, j) => {
      const peer = new Peer(url, await signToken(SECRET, { sub, role, ttl: '6h' }), address(offset + i + j));
      await peer.wire.connect(30_000);
      return peer;
    }));
    peers.push(...wave);
  }
  return peers;
}

function percentiles(samples: Float64Array, n: number) {
  const s = samples.slice(0, n).sort();
  const at = (q: number) => (n ? +s[Math.min(n - 1, Math.floor(q * n))]!.toFixed(2) : NaN);
  return { count: n, p50ms: at(0.5), p99ms: at(0.99), p999ms: at(0.999), maxms: n ? +s[n - 1]!.toFixed(1) : NaN };
}

async function pingRtts(peer: Peer, n: number): Promise<Float64Array> {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const pong = peer.once('pong', 10_000);
    peer.wire.emit('ping');
    // A lost or very late pong counts as 10 s rather than ending the run.
    out[i] = await pong.then(() => performance.now() - t0, () => 10_000);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

async function spawnProfiled(env: Record<string, string>, dir: string) {
  const { spawn } = await import('node:child_process');
  const { freePort } = await import('./lib/spawn-server.ts');
  const port = await freePort();
  const proc = spawn(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${dir}`, 'bin/livegate.js', 'start'], {
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '0.0.0.0', DATA_DIR: 'memory', HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', SHUTDOWN_DRAIN_MS: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(url + '/healthz').then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, url, port, stop: async () => undefined };
}

const pg = flags.postgres ? await startPostgres() : null;
const env = {
  JWT_SECRET: SECRET, RATE_LIMIT_LOCATION: '0', RATE_LIMIT_DEFAULT: '0', LOG_LEVEL: 'error', TRIP_SWEEP_INTERVAL_MS: '5000',
  ...(pg ? { DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '10' } : {}),
};
// --profile DIR: the gateway under `node --cpu-prof`, stopped with SIGTERM at the end so the profile is written.
// --url: a gateway already running (its own secret must be the bench's; CPU is then not measured).
const server = typeof flags.url === 'string'
  ? { proc: { pid: 0, kill: () => true, once: () => undefined } as unknown as ChildProcess, url: flags.url, port: 0, stop: async () => undefined }
  : typeof flags.profile === 'string' ? await spawnProfiled(env, flags.profile) : await spawnGateway(env);
const pid = server.proc.pid!;
// Whatever happens to this script, the gateway it started does not outlive it.
process.once('exit', () => void (pid && server.proc.exitCode === null && server.proc.kill('SIGKILL')));
const cpuOf = (p: number) => (p ? cpuSecondsOf(p) : 0);
try {
  process.stderr.write(`gateway pid ${pid} (${pg ? 'PostgreSQL' : 'PGlite in memory'}); connecting ${DRIVERS * 3} sockets…\n`);
  const drivers = await connectAll(server.url, Array.from({ length: DRIVERS }, (_, i) => ({ sub: `bd-${i}`, role: 'driver' as const })), 0);
  const passengers = await connectAll(server.url, Array.from({ length: DRIVERS }, (_, i) => ({ sub: `bp-${i}`, role: 'passenger' as const })), DRIVERS);
  const watchers = await connectAll(server.url, Array.from({ length: DRIVERS }, (_, i) => ({ sub: `ba-${i}`, role: 'admin' as const })), 2 * DRIVERS);
  const probe = (await connectAll(server.url, [{ sub: 'bench-probe', role: 'passenger' }], 3 * DRIVERS))[0]!;
  const idlePing = percentiles(await pingRtts(probe, 200), 200);

  // Real trips: the driver reports, the passenger asks, the (only) offered driver accepts.
  process.stderr.write('creating trips…\n');
  const position = Array.from({ length: DRIVERS }, (_, i) => spot(i));
  for (let i = 0; i < DRIVERS; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, DRIVERS - i) }, async (_, j) => {
      const k = i + j;
      const driver = drivers[k]!;
      const offered = driver.once<{ tripId: string }>('new_trip_available');
      driver.wire.emit('driver_location_update', { location: { ...position[k]!, speed: 30 }, timestamp: new Date().toISOString(), isOnline: true, isAvailable: true });
      await new Promise((r) => setTimeout(r, 50));
      const pickup = north(position[k]!, 300);
      passengers[k]!.wire.emit('trip_request', {
        pickupAddress: 'Pickup', pickupLatitude: pickup.latitude, pickupLongitude: pickup.longitude,
        dropoffAddress: 'Drop-off', dropoffLatitude: pickup.latitude + 0.05, dropoffLongitude: pickup.longitude, tripType: 'standard', paymentMethod: 'cash',
      });
      const { tripId } = await offered;
      const confirmed = driver.once('trip_assignment_confirmed');
      driver.wire.emit('trip_accept', { tripId });
      await confirmed;
    }));
    process.stderr.write(`\r${Math.min(i + 200, DRIVERS)}/${DRIVERS} trips`);
  }
  process.stderr.write('\njoining driver-location rooms…\n');
  for (let a = 0; a < DRIVERS; a++) {
    for (let m = 0; m < WATCHERS; m++) watchers[a]!.wire.emit('join_driver_location', { driverId: `bd-${(a * WATCHERS + m) % DRIVERS}` });
  }
  await Promise.all(watchers.map((w) => (w.wire.emit('ping'), w.once('pong', 60_000))));

  // Receivers: latency from the instant each fix was due.
  const latencies = new Float64Array(Math.ceil(((SECONDS + 5) * 1000 * DRIVERS * (1 + WATCHERS)) / PERIOD_MS) + 1_000);
  let receivedInWindow = 0;
  /** --timeline: the worst latency of each second of the window, to see when stalls happen. */
  const worstBySecond: number[] = [];
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const onPosition = (event: string, payload: unknown) => {
    if (event !== 'driver_location_update') return;
    const due = Date.parse((payload as { timestamp: string }).timestamp);
    const latency = performance.timeOrigin + performance.now() - due;
    if (due >= windowStart && due < windowEnd) {
      if (receivedInWindow < latencies.length) latencies[receivedInWindow] = latency;
      receivedInWindow++;
      const second = Math.floor((due - windowStart) / 1000);
      worstBySecond[second] = Math.max(worstBySecond[second] ?? 0, latency);
    }
  };
  for (const p of [...passengers, ...watchers]) p.onAny = onPosition;
  let errors = 0;
  for (const d of drivers) d.onAny = (event) => void (event === 'error' && errors++);

  // Open-loop senders: driver i is due at phase_i + k·period, whatever happened before.
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 1000;
  const order = Array.from({ length: DRIVERS }, (_, i) => ({ i, phase: Math.floor((i * PERIOD_MS) / DRIVERS) }));
  windowStart = t0 + WARMUP_S * 1000;
  windowEnd = windowStart + SECONDS * 1000;
  // Server and client CPU over exactly the window; ping round trips during it.
  const cpuWindow = { server: 0, client: 0 };
  let loadedPing: Promise<Float64Array> = Promise.resolve(new Float64Array());
  setTimeout(() => {
    const server0 = cpuOf(pid);
    const client0 = process.cpuUsage();
    loadedPing = pingRtts(probe, 200);
    setTimeout(() => {
      cpuWindow.server = +(((cpuOf(pid) - server0) / SECONDS) * 100).toFixed(1);
      const c = process.cpuUsage(client0);
      cpuWindow.client = +(((c.user + c.system) / 1e6 / SECONDS) * 100).toFixed(1);
    }, windowEnd - windowStart);
  }, windowStart - Date.now());
  let sentInWindow = 0;
  let maxLateMs = 0;
  let round = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = Date.now();
      for (;;) {
        const { i, phase } = order[next]!;
        const due = t0 + round * PERIOD_MS + phase;
        if (due > now) break;
        if (due >= windowEnd) return resolve();
        maxLateMs = Math.max(maxLateMs, now - due);
        position[i] = north(position[i]!, 15);
        drivers[i]!.wire.emit('driver_location_update', { location: { ...position[i]!, accuracy: 5, heading: 0, speed: 30 }, timestamp: new Date(due).toISOString(), isOnline: true, isAvailable: false });
        if (due >= windowStart) sentInWindow++;
        if (++next === DRIVERS) {
          next = 0;
          round++;
        }
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  process.stderr.write('draining…\n');
  await new Promise((r) => setTimeout(r, 3_000));
  const loaded = percentiles(await loadedPing, 200);
  // The gateway's own view (prom-client defaults): time in major and minor GC since start.
  const metrics = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${await signToken(SECRET, { sub: 'bench', role: 'admin', ttl: '1h' })}` } })
    .then((r) => r.text(), () => '');
  const gc = (kind: string) => {
    const sum = Number(metrics.match(new RegExp(`nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\} ([0-9.e-]+)`))?.[1] ?? NaN);
    const count = Number(metrics.match(new RegExp(`nodejs_gc_duration_seconds_count\\{kind="${kind}"\\} ([0-9]+)`))?.[1] ?? NaN);
    return { count, totalS: +sum.toFixed(2), avgMs: +((sum / count) * 1000).toFixed(1) };
  };
  const relay = percentiles(latencies, Math.min(receivedInWindow, latencies.length));
  const expected = sentInWindow * (1 + WATCHERS);
  const result = {
    drivers: DRIVERS, fixesPerS: +(DRIVERS / (PERIOD_MS / 1000)).toFixed(0), deliveriesPerFix: 1 + WATCHERS,
    storage: pg ? 'postgres' : 'pglite', windowS: SECONDS,
    ...relay, sentInWindow, expectedDeliveries: expected, receivedDeliveries: receivedInWindow, lost: Math.max(0, expected - receivedInWindow),
    deliveriesPerS: Math.round(receivedInWindow / SECONDS), driverErrors: errors, maxSendLateMs: maxLateMs,
    serverCpuPctOfOneCore: cpuWindow.server, clientCpuPctOfOneCore: cpuWindow.client, serverRssMiB: pid ? +(rssOf(pid) / 2 ** 20).toFixed(0) : null,
    gcSinceStart: { major: gc('major'), minor: gc('minor') },
    baselinePingIdle: idlePing, baselinePingLoaded: loaded, relayP50OverIdlePingP50: +(relay.p50ms / idlePing.p50ms).toFixed(1),
  };
  console.table([{ ...result, baselinePingIdle: `${idlePing.p50ms}/${idlePing.p99ms} ms`, baselinePingLoaded: `${loaded.p50ms}/${loaded.p99ms} ms` }]);
  console.log(JSON.stringify(result));
  if (flags.timeline) console.log('worst latency per second (ms):', worstBySecond.map((x) => Math.round(x)).join(' '));
  for (const p of [...drivers, ...passengers, ...watchers, probe]) p.wire.close();
} finally {
  if (flags.profile) {
    server.proc.kill('SIGTERM');
    await new Promise((r) => server.proc.once('exit', r));
  }
  await server.stop();
  await pg?.stop();
}
