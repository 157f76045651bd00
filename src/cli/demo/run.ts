import type { Role } from '../../protocol/index.ts';
import { connectAgent } from './agent.ts';
import { City, seededRandom, type Point } from './city.ts';
import { Driver, type Motion } from './driver.ts';
import { GatewayApi } from './gateway-api.ts';
import { Rider } from './rider.ts';
import { emptyStats, type DemoStats } from './stats.ts';

export interface DemoOptions {
  url: string;
  /** An admin or service token for the HTTP API. */
  adminToken: string;
  /** Signs the drivers' and riders' tokens (the gateway's secret). */
  sign: (sub: string, role: Role, name: string) => Promise<string>;
  drivers: number;
  riders: number;
  center: Point;
  /** Simulated seconds per real second. */
  speed: number;
  /** Cap on the real speed of a vehicle: the gateway refuses faster fixes (LOCATION_MAX_SPEED_KMH). */
  maxKmh: number;
  seed: number;
  signal: AbortSignal;
  /** Called every tick with the running totals. */
  onProgress?: (stats: DemoStats) => void;
}

const STREET_KMH = 36;
const TICK_MS = 250;
const REPORT_EVERY_TICKS = 2;
export const GEOFENCE_NAME = 'Demo: city centre';
const pad = (i: number) => String(i + 1).padStart(2, '0');
const CARS = [['Toyota', 'Corolla'], ['Hyundai', 'Elantra'], ['Kia', 'Rio'], ['Nissan', 'Sunny'], ['Honda', 'Civic']] as const;
const COLORS = ['white', 'silver', 'black', 'blue', 'red'];

/**
 * A living city on a running gateway until `signal` aborts: drivers on the
 * streets, riders requesting trips that are accepted, driven, completed and
 * paid, a vehicle running low on fuel, geofence crossings and now and then
 * an emergency alert. Resolves with the totals once every socket is closed.
 */
export async function runDemo(o: DemoOptions): Promise<DemoStats> {
  const stats = emptyStats();
  const random = seededRandom(o.seed);
  const city = new City(o.center, random);
  const api = new GatewayApi(o.url, o.adminToken);
  const motion: Motion = { metresPerSecond: Math.min(STREET_KMH * o.speed, o.maxKmh) / 3.6, msPerSimSecond: 1000 / o.speed, random };
  const started = Date.now();
  const drivers: Driver[] = [];
  const riders: Rider[] = [];
  const run = `${o.seed}-${started}`;

  const stopAll = async () => {
    await Promise.all(riders.map((r) => r.cancelActive().catch(() => undefined)));
    for (const a of [...drivers, ...riders]) a.close();
  };

  try {
    await api.ensureGeofence(GEOFENCE_NAME, o.center, 600);
    const driverStarts = Array.from({ length: o.drivers }, () => city.corner());
    const vehicles = driverStarts.map((_, i) => ({ id: `demo-vehicle-${pad(i)}`, plateNumber: `DEMO-${pad(i)}`, driverId: `demo-driver-${pad(i)}`, fuelLevel: Math.round(40 + random() * 55) }));
    const cars = vehicles.map(() => CARS[Math.floor(random() * CARS.length)]!);
    const colors = vehicles.map(() => COLORS[Math.floor(random() * COLORS.length)]!);
    await Promise.all(vehicles.map(async (v, i) => {
      const [make, model] = cars[i]!;
      await api.upsertUser({ id: v.driverId, role: 'driver', name: `Driver ${pad(i)}`, vehicle: { make, model, year: 2020, color: colors[i]!, plateNumber: v.plateNumber, type: 'sedan' } });
      await api.ensureVehicle(v);
      if (o.signal.aborted) return;
      const socket = await connectAgent(o.url, await o.sign(v.driverId, 'driver', `Driver ${pad(i)}`));
      drivers.push(new Driver(v.driverId, socket, city, motion, stats, driverStarts[i]!));
      stats.drivers++;
    }));
    await Promise.all(Array.from({ length: o.riders }, async (_, i) => {
      const id = `demo-rider-${pad(i)}`;
      await api.upsertUser({ id, role: 'passenger', name: `Rider ${pad(i)}` });
      await api.credit(id, 500, `demo-${run}-${id}`);
      if (o.signal.aborted) return;
      const socket = await connectAgent(o.url, await o.sign(id, 'passenger', `Rider ${pad(i)}`));
      riders.push(new Rider(id, socket, city, random, motion.msPerSimSecond, stats, Date.now()));
      stats.riders++;
    }));
  } catch (err) {
    await stopAll();
    throw err;
  }

  const sim = () => ((Date.now() - started) * o.speed) / 1000;
  // Scripted moments, in simulated seconds: a vehicle runs low on fuel, a rider presses the emergency button.
  let nextLowFuel = 30;
  let lowFuelIndex = 0;
  let nextAlert = 90;
  let ticks = 0;
  let last = Date.now();

  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const dt = now - last;
      last = now;
      for (const d of drivers) d.tick(dt, now);
      for (const r of riders) r.tick(now);
      if (++ticks % REPORT_EVERY_TICKS === 0) for (const d of drivers) d.report();
      if (sim() >= nextLowFuel && drivers.length) {
        nextLowFuel += 600;
        const vehicleId = `demo-vehicle-${pad(lowFuelIndex++ % drivers.length)}`;
        api.telemetry(vehicleId, { fuelLevel: 8 }).then(() => stats.lowFuel++, () => stats.errors++);
      }
      if (sim() >= nextAlert) {
        const rider = riders.find((r) => r.activeTrip);
        const driver = drivers.find((d) => d.tripId === rider?.activeTrip);
        if (rider) {
          nextAlert += 900;
          void rider.raiseAlert(driver?.position ?? o.center);
        }
      }
      o.onProgress?.(stats);
    }, TICK_MS);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    if (o.signal.aborted) stop();
    else o.signal.addEventListener('abort', stop, { once: true });
  });
  await stopAll();
  return stats;
}
