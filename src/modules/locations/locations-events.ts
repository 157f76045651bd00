import type { DriverLocationPayload } from '../../protocol/families/locations.ts';

/** A position as the rest of the gateway sees it once accepted. */
export interface AcceptedFix {
  latitude: number;
  longitude: number;
  heading?: number | undefined;
  speed?: number | undefined;
  accuracy?: number | undefined;
  /** When it was taken, epoch ms. */
  at: number;
}

/**
 * What the locations module reports. The delivery layer turns
 * `location.trip_position` into (coalesced, volatile) emits; the fleet module
 * follows `location.driver_moved` to move the driver's vehicle and to check
 * geofences.
 */
export interface LocationsEvents {
  'location.trip_position': { driverId: string; passengerId: string; payload: DriverLocationPayload };
  'location.driver_moved': { driverId: string; vehicleId: string | null; fix: AcceptedFix };
}

