import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { finite, id, isoTime, latLng, latitude, longitude, text } from '../schemas.ts';

/**
 * Family B, ride-hailing half: driver positions, availability,
 * nearby-driver search and the driver-location room (seed 000 "Location
 * Events"). Coordinates are `{ latitude, longitude }`; speeds km/h; headings
 * degrees; accuracy and altitude metres.
 */

/** One GPS fix as the driver app reports it. Every number finite and in range. */
export const gpsFix = z.object({
  latitude,
  longitude,
  accuracy: finite.min(0).max(100_000).optional(),
  heading: finite.min(0).max(360).optional(),
  speed: finite.min(0).max(500).optional(),
  altitude: finite.min(-1_000).max(20_000).optional(),
});
export type GpsFix = z.output<typeof gpsFix>;

// --- Server→client payloads (the types below are inferred from them) ---

/** Seed 000 `driver_location_update` (server → passenger). */
export const driverLocationPayload = z.object({
  tripId: z.string(),
  driverId: z.string(),
  location: z.object({ latitude: z.number(), longitude: z.number(), heading: z.number().nullable().describe('degrees'), speed: z.number().nullable().describe('km/h') }),
  estimatedArrival: z.number().describe('minutes: to pickup before the trip starts, to the drop-off during it'),
  distance: z.number().describe('kilometres, to the same point'),
  timestamp: isoTime,
});

export const nearbyDriverEntry = z.object({
  driverId: z.string(),
  name: z.string().nullable(),
  rating: z.number().nullable(),
  location: latLng,
  distance: z.number().describe('metres from the query point, great-circle'),
  isAvailable: z.boolean(),
  vehicleType: z.string().nullable(),
  lastUpdate: isoTime,
});

/** Seed 000 `nearby_drivers`. */
export const nearbyDriversPayload = z.object({ location: latLng, radius: z.number().describe('metres'), drivers: z.array(nearbyDriverEntry).describe('nearest first'), timestamp: isoTime });

export type WirePosition = z.output<typeof latLng>;
export type DriverLocationPayload = z.output<typeof driverLocationPayload>;
export type NearbyDriverEntry = z.output<typeof nearbyDriverEntry>;
export type NearbyDriversPayload = z.output<typeof nearbyDriversPayload>;

/** An ISO-8601 instant, carried inward as epoch milliseconds. */
const instant = isoTime.transform((s) => Date.parse(s));

export const locationsInbound = {
  /**
   * A driver's position. `tripId` is accepted for seed compatibility and
   * ignored: the server knows the driver's active trip. Without `timestamp`
   * the fix is stamped with the server's time.
   */
  driver_location_update: defineInbound({
    schema: z.object({
      tripId: id.optional(),
      location: gpsFix,
      timestamp: instant.optional(),
      isOnline: z.boolean().optional(),
      isAvailable: z.boolean().optional(),
    }),
    audience: ['driver'],
    rate: 'location',
    ack: z.object({ recordedAt: isoTime, tripId: z.string().nullable().describe('the driver\'s active trip') }),
  }),
  /** Seed 000 "User Events": whether the driver takes trips; `isOnline: false` takes them off the map. */
  update_availability: defineInbound({
    schema: z.object({ isAvailable: z.boolean(), isOnline: z.boolean().default(true), location: latLng.optional() }),
    audience: ['driver'],
    rate: 'default',
    ack: z.object({ isAvailable: z.boolean(), isOnline: z.boolean(), location: latLng.nullable().describe('the last accepted fix; null when offline') }),
  }),
  /** Admin map: fresh drivers near a point, nearest first. `availableOnly` and `vehicleType` narrow it. */
  get_nearby_drivers: defineInbound({
    schema: z.object({
      location: latLng,
      radius: finite.min(1).max(50_000).default(5_000),
      limit: z.number().int().min(1).max(100).default(20),
      availableOnly: z.boolean().default(false),
      vehicleType: text().trim().min(1).max(30).optional(),
    }),
    audience: ['admin'],
    rate: 'default',
    ack: nearbyDriversPayload,
  }),
  /** Joins `driver_location:{driverId}`: the passenger of that driver's active trip, or an admin. */
  join_driver_location: defineInbound({ schema: z.object({ driverId: id }), audience: 'authenticated', rate: 'default', ack: z.object({ driverId: z.string() }) }),
} as const;

export const locationsOutbound = {
  driver_location_update: defineOutbound({
    schema: driverLocationPayload,
    to: '`user:{passengerId}` of the driver\'s active trip and `driver_location:{driverId}`; volatile, at most one per `LOCATION_MIN_INTERVAL_MS` per driver, skipping clients that are behind',
  }),
  nearby_drivers: defineOutbound({ schema: nearbyDriversPayload, to: 'the socket that sent `get_nearby_drivers`' }),
} as const;

export type LocationsOutbound = OutboundEvents<typeof locationsOutbound>;

/**
 * The one place coordinate orders are converted. Inside the gateway a
 * position is `{ latitude, longitude }`; GeoJSON polygons and Redis GEO are
 * (longitude, latitude); the fleet family (seed 001) speaks `{ lat, lng }`.
 */
export const coordinates = {
  /** GeoJSON / Redis `[lng, lat]` → `{ latitude, longitude }`. */
  fromLngLat: ([lng, lat]: readonly [number, number]): WirePosition => ({ latitude: lat, longitude: lng }),
  /** `{ latitude, longitude }` → GeoJSON / Redis `[lng, lat]`. */
  toLngLat: (p: WirePosition): [number, number] => [p.longitude, p.latitude],
  /** Seed 001 `{ lat, lng }` → `{ latitude, longitude }`. */
  fromLatLng: (p: { lat: number; lng: number }): WirePosition => ({ latitude: p.lat, longitude: p.lng }),
  /** `{ latitude, longitude }` → seed 001 `{ lat, lng }`. */
  toLatLng: (p: WirePosition): { lat: number; lng: number } => ({ lat: p.latitude, lng: p.longitude }),
} as const;
