/**
 * Contracts between the trips and locations modules, so neither reaches into
 * the other's files. Trips implement `ActiveTrips`; locations implement
 * `DriverTracks`.
 */
export interface LatLng { latitude: number; longitude: number }

/** What the location pipeline needs to know about a driver's current trip. */
export interface ActiveTripView {
  tripId: string;
  passengerId: string;
  driverId: string;
  /** accepted | driver_arrived → distance/ETA to pickup; in_progress → to drop-off. */
  status: 'accepted' | 'driver_arrived' | 'in_progress';
  pickup: LatLng;
  dropoff: LatLng;
}

export interface ActiveTrips {
  /** The driver's active (accepted, arrived, in progress) trip, or null. */
  ofDriver(driverId: string): Promise<ActiveTripView | null>;
  /** True when `userId` may watch `driverId`'s position: the passenger of the driver's active trip. */
  canWatchDriver(userId: string, driverId: string): Promise<boolean>;
}

/** Recorded positions of a driver, for checking a reported trip distance. */
export interface DriverTracks {
  /** Distance in km along the recorded track between two instants (epoch ms), or null without enough fixes. */
  trackDistanceKm(driverId: string, from: number, to: number): Promise<number | null>;
}
