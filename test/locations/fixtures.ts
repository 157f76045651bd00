import type { ManualClock } from '../../src/core/clock.ts';
import { next, request, type Client } from '../helpers/client.ts';
import type { TestServer } from '../helpers/server.ts';

/** Degrees of latitude per metre (north–south), close enough for placing test points. */
export const DEG_PER_M = 1 / 111_195;

/** Environment for location tests: no trip sweeper timer, generous rate limits, fast history flushes. */
export const LOCATION_ENV = {
  TRIP_SWEEP_INTERVAL_MS: '0',
  RATE_LIMIT_DEFAULT: '100000/1',
  RATE_LIMIT_LOCATION: '100000/1',
  LOCATION_HISTORY_FLUSH_MS: '50',
  LOCATION_MIN_INTERVAL_MS: '0',
};

export interface Place { latitude: number; longitude: number }

/** `metres` north of `p`. */
export const north = (p: Place, metres: number): Place => ({ latitude: p.latitude + metres * DEG_PER_M, longitude: p.longitude });

/** A fix as the driver app sends it (seed 000), stamped with the test clock. */
export function fix(clock: ManualClock, at: Place, extra: Record<string, unknown> = {}) {
  return { location: { ...at, accuracy: 5, heading: 0, speed: 30, altitude: 385 }, timestamp: new Date(clock.now()).toISOString(), isOnline: true, isAvailable: true, ...extra };
}

export async function createProfile(server: TestServer, p: { id: string; role: 'passenger' | 'driver'; name: string; rating?: number; vehicle?: Record<string, unknown> }): Promise<void> {
  const res = await server.api('/api/users', { body: p });
  if (res.status !== 200) throw new Error(`profile ${p.id}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A real trip through the trips module: the driver reports a position
 * `offsetM` north of `pickup`, the passenger requests, the driver accepts.
 */
export async function startTrip(server: TestServer, clock: ManualClock, opts: { passenger: Client; driver: Client; pickup: Place; dropoff: Place; offsetM?: number }): Promise<string> {
  const { passenger, driver, pickup, dropoff } = opts;
  const placed = await request(driver, 'driver_location_update', fix(clock, north(pickup, opts.offsetM ?? 500)));
  if (!placed.success) throw new Error(`driver fix refused: ${JSON.stringify(placed)}`);
  const offered = next(driver, 'new_trip_available');
  offered.catch(() => undefined); // awaited below, unless the request itself fails first
  const asked = await request<{ tripId: string }>(passenger, 'trip_request', {
    pickupAddress: 'Khartoum University', pickupLatitude: pickup.latitude, pickupLongitude: pickup.longitude,
    dropoffAddress: 'Blue Nile Bridge', dropoffLatitude: dropoff.latitude, dropoffLongitude: dropoff.longitude,
    tripType: 'standard', paymentMethod: 'cash',
  });
  if (!asked.success) throw new Error(`trip_request refused: ${JSON.stringify(asked)}`);
  const offer = await offered;
  if (offer.tripId !== asked.data.tripId) throw new Error('offered another trip');
  const told = next(passenger, 'trip_accepted');
  told.catch(() => undefined);
  const accepted = await request(driver, 'trip_accept', { tripId: asked.data.tripId });
  if (!accepted.success) throw new Error(`trip_accept refused: ${JSON.stringify(accepted)}`);
  // Positions are volatile: one that reaches the passenger's socket while
  // `trip_accepted` is still being written to it would be dropped.
  await told;
  return asked.data.tripId;
}
