import type { GeofenceCrossingPayload, VehicleView } from '../../protocol/families/fleet.ts';

/** A vehicle's position as the fleet module knows it (`toFleetLocation` gives its wire shape). */
export interface VehiclePosition { latitude: number; longitude: number; speed?: number | null | undefined; heading?: number | null | undefined; at: number }

/**
 * What the fleet module reports; src/realtime/fleet/delivery.ts turns these
 * into emits to `vehicle:{id}`, `fleet` and `admins`.
 */
export interface FleetEvents {
  /** Created, changed over HTTP, or a status/fuel report. `previousDriverId` lets delivery drop the old driver from the room. */
  'vehicle.updated': { vehicle: VehicleView; previousDriverId: string | null };
  /** Raw, not yet in wire shape: delivery coalesces positions and formats only those it sends. */
  'vehicle.moved': { vehicleId: string; position: VehiclePosition };
  /** Fuel fell below the threshold; once per crossing. */
  'vehicle.low_fuel': { vehicleId: string; fuelLevel: number };
  'geofence.crossed': { kind: 'enter' | 'exit'; payload: GeofenceCrossingPayload };
}

