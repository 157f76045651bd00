import type { Clock } from '../../src/core/clock.ts';
import type { TestServer } from '../helpers/server.ts';

/** Seed 000's trip request: Khartoum University → Blue Nile Bridge. */
export const SEED_REQUEST = {
  pickupAddress: 'Khartoum University, Khartoum',
  pickupLatitude: 15.5007,
  pickupLongitude: 32.5532,
  dropoffAddress: 'Blue Nile Bridge, Khartoum',
  dropoffLatitude: 15.5994,
  dropoffLongitude: 32.5344,
  tripType: 'standard',
  paymentMethod: 'wallet',
  notes: 'Please call when you arrive',
  estimatedFare: 25.5,
} as const;

export const PICKUP = { latitude: SEED_REQUEST.pickupLatitude, longitude: SEED_REQUEST.pickupLongitude };

/** Environment for trip tests: no sweeper timer (tests call `sweep()`), generous rate limits. */
export const TRIP_ENV = { TRIP_SWEEP_INTERVAL_MS: '0', RATE_LIMIT_DEFAULT: '100000/1' };

/**
 * Puts an available driver with a fresh fix into the server's geo index,
 * `offsetM` metres north of the pickup (0.000009° of latitude ≈ 1 m).
 */
export function placeDriver(server: TestServer, driverId: string, clock: Clock, offsetM = 200, at = clock.now()): void {
  server.app.geo.upsert({
    driverId,
    latitude: PICKUP.latitude + offsetM * 0.000009,
    longitude: PICKUP.longitude,
    at,
    isAvailable: true,
    vehicleType: 'sedan',
  });
}

/** Creates profiles through the HTTP API, as a backend would. */
export async function createProfiles(server: TestServer, profiles: { id: string; role: 'passenger' | 'driver'; name: string; phone?: string; rating?: number; vehicle?: Record<string, unknown> }[]): Promise<void> {
  for (const p of profiles) {
    const res = await server.api('/api/users', { body: p });
    if (res.status !== 200) throw new Error(`profile ${p.id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
