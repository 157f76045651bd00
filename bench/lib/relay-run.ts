/**
 * One run of the end-to-end position relay against one server (see
 * bench/location-relay.ts for what is measured and why).
 */
import { signToken } from '../../src/auth/token-signer.ts';
import { cpuSecondsOf, rssOf } from './proc.ts';
import { WireClient } from './wire-client.ts';
import { wallNow } from './wall-clock.ts';

export interface RelayOptions {
  impl: string;
  url: string;
  /** The server's pid, for its CPU and RSS (0: not measured). */
  pid: number;
  secret: string;
  drivers: number;
  watchers: number;
  periodMs: number;
  seconds: number;
  warmupS: number;
  /** Livegate: real trips through the trips module. Baselines: the passenger joins the driver's room. */
  trips: boolean;
  log: (s: string) => void;
  /** Called when the measurement window opens and again when it closes (e.g. the server's loop-delay window). */
  onWindow?: (phase: 'start' | 'end') => void;
}

export interface RelayResult {
  impl: string;
  drivers: number; fixesPerS: number; deliveriesPerFix: number; windowS: number;
  count: number; p50ms: number; p99ms: number; p999ms: number; maxms: number;
  sentInWindow: number; expectedDeliveries: number; receivedDeliveries: number; lost: number; deliveriesPerS: number;
  driverErrors: number; maxSendLateMs: number;
  serverCpuPctOfOneCore: number; clientCpuPctOfOneCore: number; serverRssMiB: number | null;
  pingIdle: Percentiles; pingLoaded: Percentiles;
  worstBySecond: number[];
}

interface Percentiles { count: number; p50ms: number; p99ms: number; p999ms: number; maxms: number }

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

async function connectAll(url: string, secret: string, subs: { sub: string; role: 'driver' | 'passenger' | 'admin' }[], offset: number): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let i = 0; i < subs.length; i += 500) {
    const wave = await Promise.all(subs.slice(i, i + 500).map(async ({ sub, role }, j) => {
      const peer = new Peer(url, await signToken(secret, { sub, role, ttl: '6h' }), address(offset + i + j));
      await peer.wire.connect(30_000);
      return peer;
    }));
    peers.push(...wave);
  }
  return peers;
}

function percentiles(samples: Float64Array, n: number): Percentiles {
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

/** Real trips: the driver reports, the passenger asks, the (only) offered driver accepts. */
async function createTrips(o: RelayOptions, drivers: Peer[], passengers: Peer[], position: { latitude: number; longitude: number }[]): Promise<void> {
  for (let i = 0; i < o.drivers; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, o.drivers - i) }, async (_, j) => {
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
    o.log(`${Math.min(i + 200, o.drivers)}/${o.drivers} trips`);
  }
}

export async function runRelay(o: RelayOptions): Promise<RelayResult> {
  const cpuOf = (p: number) => (p ? cpuSecondsOf(p) : 0);
  o.log(`${o.impl}: connecting ${o.drivers * 3} sockets…`);
  const subs = (prefix: string, role: 'driver' | 'passenger' | 'admin') => Array.from({ length: o.drivers }, (_, i) => ({ sub: `${prefix}-${i}`, role }));
  const drivers = await connectAll(o.url, o.secret, subs('bd', 'driver'), 0);
  const passengers = await connectAll(o.url, o.secret, subs('bp', 'passenger'), o.drivers);
  const watchers = await connectAll(o.url, o.secret, subs('ba', 'admin'), 2 * o.drivers);
  const probe = (await connectAll(o.url, o.secret, [{ sub: 'bench-probe', role: 'passenger' }], 3 * o.drivers))[0]!;
  const all = [...drivers, ...passengers, ...watchers, probe];
  try {
    const pingIdle = percentiles(await pingRtts(probe, 200), 200);
    const position = Array.from({ length: o.drivers }, (_, i) => spot(i));
    if (o.trips) await createTrips(o, drivers, passengers, position);
    else for (let i = 0; i < o.drivers; i++) passengers[i]!.wire.emit('join_driver_location', { driverId: `bd-${i}` });
    o.log(`${o.impl}: joining driver-location rooms…`);
    for (let a = 0; a < o.drivers; a++) {
      for (let m = 0; m < o.watchers; m++) watchers[a]!.wire.emit('join_driver_location', { driverId: `bd-${(a * o.watchers + m) % o.drivers}` });
    }
    await Promise.all([...watchers, ...passengers].map((w) => (w.wire.emit('ping'), w.once('pong', 60_000))));

    // Receivers: latency from the instant each fix was due.
    const latencies = new Float64Array(Math.ceil(((o.seconds + 5) * 1000 * o.drivers * (1 + o.watchers)) / o.periodMs) + 1_000);
    let receivedInWindow = 0;
    const worstBySecond: number[] = [];
    let windowStart = Infinity;
    let windowEnd = Infinity;
    const onPosition = (event: string, payload: unknown) => {
      if (event !== 'driver_location_update') return;
      const due = Date.parse((payload as { timestamp: string }).timestamp);
      const latency = wallNow() - due;
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
    const order = Array.from({ length: o.drivers }, (_, i) => ({ i, phase: Math.floor((i * o.periodMs) / o.drivers) }));
    windowStart = t0 + o.warmupS * 1000;
    windowEnd = windowStart + o.seconds * 1000;
    // Server and client CPU over exactly the window; ping round trips during it.
    const cpuWindow = { server: 0, client: 0 };
    let loadedPing: Promise<Float64Array> = Promise.resolve(new Float64Array());
    setTimeout(() => {
      const server0 = cpuOf(o.pid);
      const client0 = process.cpuUsage();
      loadedPing = pingRtts(probe, 200);
      o.onWindow?.('start');
      setTimeout(() => {
        o.onWindow?.('end');
        cpuWindow.server = +(((cpuOf(o.pid) - server0) / o.seconds) * 100).toFixed(1);
        const c = process.cpuUsage(client0);
        cpuWindow.client = +(((c.user + c.system) / 1e6 / o.seconds) * 100).toFixed(1);
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
          const due = t0 + round * o.periodMs + phase;
          if (due > now) break;
          if (due >= windowEnd) return resolve();
          if (due >= windowStart) maxLateMs = Math.max(maxLateMs, now - due);
          position[i] = north(position[i]!, 15);
          drivers[i]!.wire.emit('driver_location_update', { location: { ...position[i]!, accuracy: 5, heading: 0, speed: 30 }, timestamp: new Date(due).toISOString(), isOnline: true, isAvailable: false });
          if (due >= windowStart) sentInWindow++;
          if (++next === o.drivers) {
            next = 0;
            round++;
          }
        }
        setTimeout(tick, 1);
      };
      tick();
    });
    o.log(`${o.impl}: draining…`);
    await new Promise((r) => setTimeout(r, 3_000));
    const pingLoaded = percentiles(await loadedPing, 200);
    const relay = percentiles(latencies, Math.min(receivedInWindow, latencies.length));
    const expected = sentInWindow * (1 + o.watchers);
    return {
      impl: o.impl, drivers: o.drivers, fixesPerS: Math.round(o.drivers / (o.periodMs / 1000)), deliveriesPerFix: 1 + o.watchers, windowS: o.seconds,
      ...relay, sentInWindow, expectedDeliveries: expected, receivedDeliveries: receivedInWindow, lost: Math.max(0, expected - receivedInWindow),
      deliveriesPerS: Math.round(receivedInWindow / o.seconds), driverErrors: errors, maxSendLateMs: maxLateMs,
      serverCpuPctOfOneCore: cpuWindow.server, clientCpuPctOfOneCore: cpuWindow.client, serverRssMiB: o.pid ? Math.round(rssOf(o.pid) / 2 ** 20) : null,
      pingIdle, pingLoaded, worstBySecond: worstBySecond.map((x) => Math.round(x)),
    };
  } finally {
    for (const p of all) p.wire.close();
  }
}
