import type { Clock } from '../../core/clock.ts';
import type { ActiveTrips, ActiveTripView } from '../../core/ride-ports.ts';
import type { TripsRepository } from './trips.repository.ts';

/**
 * `ActiveTrips` for the location pipeline. `ofDriver` runs on every position
 * fix, so answers are cached briefly and dropped whenever this node changes
 * one of the driver's trips (the driver's own events arrive on the node that
 * holds the driver's socket); a change made elsewhere shows within `ttlMs`.
 * `canWatchDriver` authorises a room join, so it always reads the database.
 */
export class ActiveTripsView implements ActiveTrips {
  private readonly cache = new Map<string, { view: ActiveTripView | null; until: number }>();

  constructor(
    private readonly trips: TripsRepository,
    private readonly clock: Clock,
    private readonly ttlMs = 2000,
  ) {}

  async ofDriver(driverId: string): Promise<ActiveTripView | null> {
    const now = this.clock.now();
    const hit = this.cache.get(driverId);
    if (hit && hit.until > now) return hit.view;
    const trip = await this.trips.activeOfDriver(driverId);
    const view: ActiveTripView | null = trip && (trip.status === 'accepted' || trip.status === 'driver_arrived' || trip.status === 'in_progress')
      ? { tripId: trip.id, passengerId: trip.passengerId, driverId, status: trip.status, pickup: trip.pickup, dropoff: trip.dropoff }
      : null;
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(driverId, { view, until: now + this.ttlMs });
    return view;
  }

  canWatchDriver(userId: string, driverId: string): Promise<boolean> {
    return this.trips.ridesWith(userId, driverId);
  }

  invalidate(driverId: string): void {
    this.cache.delete(driverId);
  }
}
