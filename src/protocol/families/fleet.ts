import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { finite, id, isoTime, latitude, longitude, noPayload, text } from '../schemas.ts';
import { coordinates } from './locations.ts';

/**
 * Family B, fleet half (seed 001 "Vehicle Events" and "GPS
 * Tracking Events"), with geofence crossings. Seed 001 sends ids as bare
 * strings; `{ vehicleId }` is accepted too. Locations go out in seed 001's
 * `{ lat, lng, … }` shape; geofence events use `{ latitude, longitude }` like
 * the geofence definitions they come from.
 */
export const VEHICLE_STATUSES = ['active', 'idle', 'maintenance', 'inactive'] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

export const vehicleId = id;
const vehicleRef = z.union([vehicleId, z.object({ vehicleId }).transform((o) => o.vehicleId)]);

/** A vehicle's position as seed 001 shows it. */
export const fleetLocation = z.object({
  lat: z.number(),
  lng: z.number(),
  speed: z.number().nullable(),
  heading: z.number().nullable(),
  timestamp: z.string(),
});
export type FleetLocation = z.output<typeof fleetLocation>;

export const vehicleView = z.object({
  id: z.string(),
  plateNumber: z.string(),
  type: z.string(),
  status: z.enum(VEHICLE_STATUSES),
  driverId: z.string().nullable(),
  fuelLevel: z.number().nullable(),
  currentLocation: fleetLocation.nullable(),
  lastUpdate: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type VehicleView = z.output<typeof vehicleView>;

/** `request:active-vehicles` answers, by ack and event. */
export const activeVehiclesPayload = z.object({ vehicles: z.array(vehicleView) });

export const fleetInbound = {
  /** Joins `vehicle:{id}`: admins, and the driver the vehicle is assigned to. */
  'subscribe:vehicle': defineInbound({ schema: vehicleRef, audience: ['admin', 'driver'], rate: 'default', ack: z.object({ vehicleId: z.string() }) }),
  'unsubscribe:vehicle': defineInbound({
    schema: vehicleRef,
    audience: ['admin', 'driver'],
    rate: 'default',
    ack: z.object({ vehicleId: z.string(), left: z.boolean().describe('false when the socket was not subscribed') }),
  }),
  /** Joins `fleet`: every vehicle's `tracking:update` and every geofence crossing. */
  'subscribe:tracking': defineInbound({ schema: noPayload, audience: ['admin'], rate: 'default', ack: z.object({ subscribed: z.literal(true) }) }),
  /** Leaves `fleet` (new; seed 001 relies on disconnecting). */
  'unsubscribe:tracking': defineInbound({ schema: noPayload, audience: ['admin'], rate: 'default', ack: z.object({ subscribed: z.literal(false) }) }),
  /** Answers through the ack and with `active-vehicles { vehicles }`. */
  'request:active-vehicles': defineInbound({ schema: noPayload, audience: ['admin'], rate: 'default', ack: activeVehiclesPayload }),
} as const;

/** Seed 001's location: `{ lat, lng, speed?, heading? }`; `{ latitude, longitude, … }` is accepted too. */
const motion = { speed: finite.min(0).max(500).optional(), heading: finite.min(0).max(360).optional() };
export const fleetLocationInput = z.union([
  z.object({ lat: latitude, lng: longitude, ...motion }).transform(({ lat, lng, ...rest }) => ({ ...coordinates.fromLatLng({ lat, lng }), ...rest })),
  z.object({ latitude, longitude, ...motion }),
]);

const plateNumber = text().trim().min(1).max(20);
const vehicleType = text().trim().min(1).max(30);
const fuelLevel = finite.min(0).max(100);

export const createVehicleBody = z.object({
  id: vehicleId,
  plateNumber,
  type: vehicleType.default('sedan'),
  status: z.enum(VEHICLE_STATUSES).default('active'),
  driverId: id.nullable().optional(),
  fuelLevel: fuelLevel.optional(),
});
export type CreateVehicle = z.output<typeof createVehicleBody>;

export const patchVehicleBody = z
  .object({ plateNumber: plateNumber.optional(), type: vehicleType.optional(), status: z.enum(VEHICLE_STATUSES).optional(), driverId: id.nullable().optional(), fuelLevel: fuelLevel.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type PatchVehicle = z.output<typeof patchVehicleBody>;

export const telemetryBody = z
  .object({ location: fleetLocationInput.optional(), fuelLevel: fuelLevel.optional(), status: z.enum(VEHICLE_STATUSES).optional(), timestamp: isoTime.optional() })
  .refine((b) => b.location !== undefined || b.fuelLevel !== undefined || b.status !== undefined, 'send location, fuelLevel or status');
export type Telemetry = z.output<typeof telemetryBody>;

export const telemetryResult = z.object({
  vehicle: vehicleView,
  /** False when a newer report had already arrived: the position went to history only. */
  applied: z.boolean(),
});

/** GeoJSON ring order: `[longitude, latitude]`. */
const lngLat = z.tuple([longitude, latitude]);
const geofenceName = text().trim().min(1).max(120);
export const createGeofenceBody = z.union([
  z.object({ name: geofenceName, circle: z.object({ center: z.object({ latitude, longitude }), radiusM: finite.min(10).max(100_000) }) }).strict(),
  z.object({ name: geofenceName, polygon: z.array(lngLat).min(3).max(500) }).strict(),
]);
export type CreateGeofence = z.output<typeof createGeofenceBody>;

export const geofenceView = z.object({
  id: z.string(),
  name: z.string(),
  circle: z.object({ center: z.object({ latitude: z.number(), longitude: z.number() }), radiusM: z.number() }).nullable(),
  polygon: z.array(z.tuple([z.number(), z.number()])).nullable(),
  createdAt: z.string(),
});
export type GeofenceView = z.output<typeof geofenceView>;

/** Range and thinning for replaying a track (both thinning rules apply when both are given). */
export const historyQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Keep a point only when it is at least this many metres from the last kept one. */
  minDistanceM: z.coerce.number().finite().min(0).max(100_000).optional(),
  /** Keep a point only when it is at least this many seconds after the last kept one. */
  minIntervalS: z.coerce.number().finite().min(0).max(86_400).optional(),
});
export type HistoryQuery = z.output<typeof historyQuery>;

export const historyPoint = z.object({
  latitude: z.number(),
  longitude: z.number(),
  heading: z.number().nullable(),
  speed: z.number().nullable(),
  accuracy: z.number().nullable(),
  recordedAt: z.string(),
});
export const historyBody = z.object({
  from: z.string(),
  to: z.string(),
  points: z.array(historyPoint),
  count: z.number().int(),
  /** Set when `limit` cut the range short: ask again with `from = next`. */
  next: z.string().nullable(),
});
export type HistoryBody = z.output<typeof historyBody>;

export const geofenceCrossingPayload = z.object({
  geofenceId: z.string(),
  name: z.string(),
  vehicleId: z.string().optional(),
  driverId: z.string().optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }),
  timestamp: isoTime,
});
export type GeofenceCrossingPayload = z.output<typeof geofenceCrossingPayload>;

const vehiclePosition = z.object({ vehicleId: z.string(), location: fleetLocation });

export const fleetOutbound = {
  'vehicle:updated': defineOutbound({ schema: z.object({ vehicleId: z.string(), data: vehicleView }), to: '`vehicle:{vehicleId}` and `fleet`, when the vehicle record changes' }),
  'vehicle:location': defineOutbound({ schema: vehiclePosition, to: '`vehicle:{vehicleId}`; volatile' }),
  'vehicle:low-fuel': defineOutbound({
    schema: z.object({ vehicleId: z.string(), fuelLevel: z.number().describe('percent') }),
    to: '`vehicle:{vehicleId}`, `fleet` and `admins`, once per drop below the threshold (re-armed above it)',
  }),
  'tracking:update': defineOutbound({ schema: vehiclePosition, to: '`fleet`; volatile, at most one per vehicle per second' }),
  'active-vehicles': defineOutbound({ schema: activeVehiclesPayload, to: 'the socket that sent `request:active-vehicles`' }),
  'geofence:enter': defineOutbound({ schema: geofenceCrossingPayload, to: '`fleet` and `admins`' }),
  'geofence:exit': defineOutbound({ schema: geofenceCrossingPayload, to: '`fleet` and `admins`' }),
} as const;

export type FleetOutbound = OutboundEvents<typeof fleetOutbound>;
