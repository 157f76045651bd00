import type { DriverPoint } from '../../state/geo-index.ts';

/** The vehicle a driver is assigned to (implemented by the fleet module). */
export interface DriverVehicles {
  vehicleOf(driverId: string): Promise<{ vehicleId: string; type: string } | null>;
  /** The same answer without waiting, or undefined while it is not known yet (before the first read). */
  vehicleOfNow?(driverId: string): { vehicleId: string; type: string } | null | undefined;
}

/** Display data for nearby results and the driver's vehicle type (implemented by the users module). */
export interface DriverProfiles {
  get(id: string): Promise<{ name: string; rating: number | null; vehicle: { type: string } | null } | null>;
}

/**
 * Where this node's position changes go so every other node's index sees
 * them (the Redis position feed; absent on a single node).
 */
export interface PositionSink {
  upsert(point: DriverPoint): void;
  setAvailability(driverId: string, isAvailable: boolean): void;
  remove(driverId: string): void;
}
