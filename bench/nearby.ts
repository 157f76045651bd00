/**
 * Nearby-driver query latency while the index absorbs position updates.
 *   npm run bench:nearby                      (100,000 drivers, 25,000 updates/s)
 *   npm run bench:nearby -- --drivers 100000 --rate 25000 --seconds 5 --cells
 *   npm run bench:nearby -- --quick           (2 s per column; the suite's smoke mode)
 * Columns, in one run on the same data: GridGeoIndex (what the gateway uses),
 * LinearGeoIndex (the brute-force scan), and Redis GEOSEARCH on a real
 * redis-server started here (loopback; skipped with a note when redis-server
 * is missing). `--cells` first sweeps the grid's cell size.
 *
 * Query: 5 km radius, 20 nearest available drivers with a fresh fix (what
 * dispatch and `get_nearby_drivers` ask). Updates move a random driver by up
 * to ~30 m; they are applied between queries at the configured rate, their
 * cost is reported separately, and the query clock excludes them.
 */
import { loadavg } from 'node:os';
import { parseFlags } from '../src/cli/args.ts';
import { LinearGeoIndex, type DriverPoint, type GeoIndex, type NearbyQuery } from '../src/state/geo-index.ts';
import { GridGeoIndex } from '../src/state/grid-geo-index.ts';
import { startRedis } from '../test/helpers/redis.ts';
import { report, type BenchRow } from './lib/result.ts';

const flags = parseFlags(process.argv.slice(2));
// --quick (the suite's smoke mode): the same 100,000 drivers and update rate, 2 s per column instead of 5.
const QUICK = flags.quick === true;
const DRIVERS = Number(flags.drivers ?? 100_000);
const RATE = Number(flags.rate ?? 25_000);
const SECONDS = Number(flags.seconds ?? (QUICK ? 2 : 5));
const STARTED_AT = new Date().toISOString();
const LOAD_START = loadavg();
const CENTRE = { latitude: 15.55, longitude: 32.55 };
const DEG_PER_M = 1 / 111_195;
const TYPES = ['sedan', 'suv', 'van', 'premium'];

/** Deterministic PRNG (mulberry32) so every column sees the same drivers and queries. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const gauss = (r: () => number) => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());

/** A metro area: 70 % around the centre (σ 8 km), 30 % spread over ±33 km. */
function place(r: () => number): { latitude: number; longitude: number } {
  if (r() < 0.7) return { latitude: CENTRE.latitude + gauss(r) * 8_000 * DEG_PER_M, longitude: CENTRE.longitude + gauss(r) * 8_000 * DEG_PER_M };
  return { latitude: CENTRE.latitude + (r() - 0.5) * 0.6, longitude: CENTRE.longitude + (r() - 0.5) * 0.6 };
}

function population(now: number): DriverPoint[] {
  const r = rng(42);
  return Array.from({ length: DRIVERS }, (_, i) => ({
    driverId: `driver-${i}`, ...place(r), at: now - Math.floor(r() * 30_000), isAvailable: r() < 0.7, vehicleType: TYPES[i % TYPES.length], speed: 30, heading: 0,
  }));
}

function queries(n: number, now: number): NearbyQuery[] {
  const r = rng(7);
  return Array.from({ length: n }, () => ({ ...place(r), radiusM: 5_000, limit: 20, freshSince: now - 60_000, availableOnly: true }));
}

function stats(samplesNs: number[]) {
  const s = Float64Array.from(samplesNs).sort();
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]! / 1000;
  return { queries: s.length, p50us: +at(0.5).toFixed(2), p99us: +at(0.99).toFixed(2), p999us: +at(0.999).toFixed(2), maxus: +(s[s.length - 1]! / 1000).toFixed(1) };
}

/** Runs queries for `seconds` (or `maxQueries`), applying RATE updates/s between them. */
function runInProcess(index: GeoIndex, points: DriverPoint[], seconds: number, maxQueries: number) {
  const qs = queries(Math.min(maxQueries, 200_000), Date.now());
  const r = rng(99);
  const samples: number[] = [];
  let updates = 0;
  let updateNs = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  for (let i = 0; ; i++) {
    const now = process.hrtime.bigint();
    if (now >= deadline || i >= qs.length) break;
    // Absorb the updates due by now, outside the query's clock.
    const due = Math.floor((Number(now - start) / 1e9) * RATE);
    const u0 = process.hrtime.bigint();
    const t = Date.now();
    for (; updates < due; updates++) {
      const p = points[Math.floor(r() * points.length)]!;
      p.latitude += (r() - 0.5) * 60 * DEG_PER_M;
      p.longitude += (r() - 0.5) * 60 * DEG_PER_M;
      p.at = t;
      index.upsert(p);
    }
    updateNs += Number(process.hrtime.bigint() - u0);
    const q0 = process.hrtime.bigint();
    const found = index.nearby(qs[i]!);
    samples.push(Number(process.hrtime.bigint() - q0));
    if (found.length > 20) throw new Error('limit not respected');
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  return { ...stats(samples), updatesPerS: Math.round(updates / elapsed), nsPerUpdate: updates ? Math.round(updateNs / updates) : 0 };
}

function build(index: GeoIndex, points: DriverPoint[]): GeoIndex {
  for (const p of points) index.upsert(p);
  return index;
}

async function runRedis(points: DriverPoint[], seconds: number) {
  const server = await startRedis().catch(() => null);
  if (!server) return null;
  const { createClient } = await import('redis');
  const client = createClient({ url: server.url });
  const writer = createClient({ url: server.url });
  await Promise.all([client.connect(), writer.connect()]);
  try {
    // Only available drivers are in the set: Redis has no filter, so this favours Redis.
    const available = points.filter((p) => p.isAvailable);
    for (let i = 0; i < available.length; i += 1_000) {
      // Redis GEO order is (longitude, latitude).
      await writer.geoAdd('bench:drivers', available.slice(i, i + 1_000).map((p) => ({ longitude: p.longitude, latitude: p.latitude, member: p.driverId })));
    }
    const r = rng(99);
    const qs = queries(100_000, Date.now());
    const started = Date.now();
    let sent = 0;
    const updater = setInterval(() => {
      // Never more than 100 ms worth in one command, so a stalled tick cannot become one giant GEOADD.
      const due = Math.min(Math.floor(((Date.now() - started) / 1000) * RATE) - sent, RATE / 10);
      if (due <= 0) return;
      const batch = Array.from({ length: due }, () => {
        const p = available[Math.floor(r() * available.length)]!;
        p.latitude += (r() - 0.5) * 60 * DEG_PER_M;
        p.longitude += (r() - 0.5) * 60 * DEG_PER_M;
        return { longitude: p.longitude, latitude: p.latitude, member: p.driverId };
      });
      sent += due;
      writer.geoAdd('bench:drivers', batch).catch(() => undefined);
    }, 10);
    const samples: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    for (let i = 0; Date.now() < deadline; i++) {
      const q = qs[i % qs.length]!;
      const t0 = process.hrtime.bigint();
      await client.sendCommand(['GEOSEARCH', 'bench:drivers', 'FROMLONLAT', String(q.longitude), String(q.latitude), 'BYRADIUS', '5000', 'm', 'ASC', 'COUNT', '20', 'WITHDIST']);
      samples.push(Number(process.hrtime.bigint() - t0));
    }
    clearInterval(updater);
    return { ...stats(samples), updatesPerS: Math.round(sent / ((Date.now() - started) / 1000)), nsPerUpdate: 0 };
  } finally {
    await Promise.all([client.close(), writer.close()]).catch(() => undefined);
    await server.stop();
  }
}

/**
 * The cross-node position feed (src/state/redis/position-feed.ts) at RATE
 * updates/s: node A publishes, node B applies to its own index. Reports the
 * lag from a fix's publication to its arrival in B's index and the CPU both
 * ends cost together, per update.
 */
async function runFeed(points: DriverPoint[], seconds: number) {
  const server = await startRedis().catch(() => null);
  if (!server) return null;
  const { RedisPositionFeed } = await import('../src/state/redis/position-feed.ts');
  const { pino } = await import('pino');
  const log = pino({ level: 'silent' });
  const lags: number[] = [];
  const indexB = new GridGeoIndex();
  const observedB: GeoIndex = Object.assign(Object.create(indexB) as GeoIndex, {
    upsert(p: DriverPoint) {
      lags.push((Date.now() - p.at) * 1e6);
      indexB.upsert(p);
    },
    get: (id: string) => indexB.get(id),
  });
  const opts = { url: server.url, batchMs: 50, freshMs: 60_000, log };
  const a = await RedisPositionFeed.start({ ...opts, nodeId: 'a', geo: new GridGeoIndex() });
  const b = await RedisPositionFeed.start({ ...opts, nodeId: 'b', geo: observedB });
  try {
    const r = rng(5);
    const cpu0 = process.cpuUsage();
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * RATE);
      const now = Date.now();
      for (; sent < due; sent++) {
        const p = points[Math.floor(r() * points.length)]!;
        a.upsert({ ...p, at: now });
      }
      await new Promise((res) => setTimeout(res, 5));
    }
    await new Promise((res) => setTimeout(res, 500));
    const cpu = process.cpuUsage(cpu0);
    return { ...stats(lags), updatesPerS: Math.round(sent / seconds), received: lags.length, sent, cpuUsPerUpdate: +(((cpu.user + cpu.system) / sent)).toFixed(2) };
  } finally {
    await a.stop();
    await b.stop();
    await server.stop();
  }
}

const fresh = () => population(Date.now());

if (flags.cells && !flags['grid-only']) {
  const rows = [];
  for (const cellSizeM of [125, 250, 500, 1_000, 2_000]) {
    const pts = fresh();
    rows.push({ cellSizeM, ...runInProcess(build(new GridGeoIndex({ cellSizeM }), pts), pts, Math.min(SECONDS, 3), 1e9) });
  }
  console.log('\nGrid cell size sweep (same drivers and queries):');
  console.table(rows);
}

// Progress on stderr (the suite forwards it); tables and the result line on stdout.
const progress = (what: string) => console.error(`${what} (${DRIVERS} drivers, ${RATE} updates/s, ${SECONDS} s)`);
progress('grid index');
const gridPts = fresh();
const grid = runInProcess(build(new GridGeoIndex(), gridPts), gridPts, SECONDS, 1e9);
if (flags['grid-only']) {
  console.log(JSON.stringify(grid));
  process.exit(0);
}
progress('linear scan');
const linPts = fresh();
// The scan takes milliseconds per query: a few hundred queries are plenty for its percentiles.
const linear = runInProcess(build(new LinearGeoIndex(), linPts), linPts, SECONDS, 400);
progress('Redis GEOSEARCH');
const redis = await runRedis(fresh(), SECONDS);

if (!flags['no-feed']) progress('Redis position feed');
const feed = flags['no-feed'] ? null : await runFeed(fresh(), Math.min(SECONDS, 5));
if (feed) {
  console.log(`\nRedis position feed, ${RATE} updates/s, node A → node B (lag in µs from publication to B's index):`);
  console.table({ feed: { ...feed, p50ms: +(feed.p50us / 1000).toFixed(1), p99ms: +(feed.p99us / 1000).toFixed(1) } });
}
const table: Record<string, unknown> = { grid, linear, ...(redis ? { redisGeosearch: redis } : {}) };
console.log(`\n${DRIVERS} drivers, ${RATE} updates/s, 5 km radius, 20 nearest available+fresh (µs):`);
console.table(table);
const ratio = (a: number, b: number) => +(a / b).toFixed(1);
const summary = {
  gridP50us: grid.p50us,
  gridP99us: grid.p99us,
  linearOverGridP50: ratio(linear.p50us, grid.p50us),
  linearOverGridP99: ratio(linear.p99us, grid.p99us),
  redisOverGridP50: redis ? ratio(redis.p50us, grid.p50us) : 'skipped: redis-server not found',
  redisOverGridP99: redis ? ratio(redis.p99us, grid.p99us) : 'skipped: redis-server not found',
  goals: { p99AtMost60us: grid.p99us <= 60, atLeast100xScan: linear.p50us / grid.p50us >= 100, atLeast15xRedis: redis ? redis.p50us / grid.p50us >= 15 : null },
};
console.log(JSON.stringify(summary));

// The suite's result line (bench/lib/result.ts): headline p99 in µs per implementation.
type Column = ReturnType<typeof runInProcess>;
const row = (impl: string, variant: string, c: Column): BenchRow => {
  const keptUp = c.updatesPerS >= RATE * 0.9;
  const notes = [
    ...(keptUp ? [] : [`updates applied at ${c.updatesPerS}/s, below the ${RATE}/s asked`]),
    ...(c.queries < 1_000 ? [`tail percentiles from only ${c.queries} queries`] : []),
  ];
  return {
    impl, variant, valid: keptUp,
    metrics: { p50Us: c.p50us, p99Us: c.p99us, p999Us: c.p999us, maxUs: c.maxus, queries: c.queries, updatesPerS: c.updatesPerS, nsPerUpdate: c.nsPerUpdate || null },
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
};
const ratioOrNull = (a: number | undefined, b: number) => (a === undefined ? null : ratio(a, b));
report({
  scenario: 'nearby',
  title: `Nearby search, ${DRIVERS.toLocaleString('en-US')} drivers, ${RATE.toLocaleString('en-US')} updates/s`,
  quick: QUICK,
  command: `node --import tsx bench/nearby.ts ${process.argv.slice(2).join(' ')}`.trim(),
  headline: { metric: 'p99Us', unit: 'µs', higherIsBetter: false },
  rows: [
    row('grid', 'GridGeoIndex', grid),
    row('linear-scan', 'LinearGeoIndex', linear),
    ...(redis ? [row('redis-geosearch', 'GEOSEARCH, loopback', redis)] : []),
  ],
  ratios: {
    'linear-scan/grid p50': ratio(linear.p50us, grid.p50us),
    'linear-scan/grid p99': ratio(linear.p99us, grid.p99us),
    'redis-geosearch/grid p50': ratioOrNull(redis?.p50us, grid.p50us),
    'redis-geosearch/grid p99': ratioOrNull(redis?.p99us, grid.p99us),
  },
  goals: [
    { name: 'grid p99', target: '≤ 60 µs', value: grid.p99us, unit: 'µs', met: grid.p99us <= 60 },
    { name: 'faster than the linear scan (p50)', target: '≥ 100×', value: ratio(linear.p50us, grid.p50us), unit: '×', met: linear.p50us / grid.p50us >= 100 },
    { name: 'faster than Redis GEOSEARCH (p50)', target: '≥ 15×', value: ratioOrNull(redis?.p50us, grid.p50us), unit: '×', met: redis ? redis.p50us / grid.p50us >= 15 : false },
  ],
  load: { start: LOAD_START, end: loadavg() },
  startedAt: STARTED_AT,
  durationS: Math.round((Date.now() - Date.parse(STARTED_AT)) / 100) / 10,
  notes: [
    'Query: 5 km radius, 20 nearest available drivers with a fresh fix; update cost is measured apart and excluded from the query clock.',
    'Redis holds only the available drivers (it has no filter), which favours Redis; its latency includes the loopback round trip.',
    ...(redis ? [] : ['redis-server not found: the Redis column was skipped.']),
    ...(feed ? [`Redis position feed node A → B at ${feed.updatesPerS}/s: lag p50 ${(feed.p50us / 1000).toFixed(1)} ms, p99 ${(feed.p99us / 1000).toFixed(1)} ms, ${feed.received}/${feed.sent} received, ${feed.cpuUsPerUpdate} µs CPU per update (both ends).`] : []),
  ],
});
