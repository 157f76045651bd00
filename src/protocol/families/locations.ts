import { z } from 'zod';
import { defineInbound } from '../define.ts';
import { finite, id, isoTime, latLng, latitude, longitude, text } from '../schemas.ts';

/**
 * Family B of PROTOCOL.md, ride-hailing half: driver positions, availability,
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
  }),
  /** Seed 000 "User Events": whether the driver takes trips; `isOnline: false` takes them off the map. */
  update_availability: defineInbound({
    schema: z.object({ isAvailable: z.boolean(), isOnline: z.boolean().default(true), location: latLng.optional() }),
    audience: ['driver'],
    rate: 'default',
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
  }),
  /** Joins `driver_location:{driverId}`: the passenger of that driver's active trip, or an admin. */
  join_driver_location: defineInbound({ schema: z.object({ driverId: id }), audience: 'authenticated', rate: 'default' }),
} as const;

export interface WirePosition { latitude: number; longitude: number }

/** Seed 000 `driver_location_update` (server → passenger). Distance in km, `estimatedArrival` in minutes. */
export interface DriverLocationPayload {
  tripId: string;
  driverId: string;
  location: { latitude: number; longitude: number; heading: number | null; speed: number | null };
  estimatedArrival: number;
  distance: number;
  timestamp: string;
}

export interface NearbyDriverEntry {
  driverId: string;
  name: string | null;
  rating: number | null;
  location: WirePosition;
  /** Metres from the query point, great-circle. */
  distance: number;
  isAvailable: boolean;
  vehicleType: string | null;
  lastUpdate: string;
}

/** Seed 000 `nearby_drivers`. */
export interface NearbyDriversPayload {
  location: WirePosition;
  radius: number;
  drivers: NearbyDriverEntry[];
  timestamp: string;
}

export interface LocationsOutbound {
  driver_location_update: (p: DriverLocationPayload) => void;
  nearby_drivers: (p: NearbyDriversPayload) => void;
}

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
