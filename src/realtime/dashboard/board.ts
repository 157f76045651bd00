import type { Trip } from '../../modules/trips/index.ts';
import type { DashboardTrip } from '../../protocol/index.ts';

const FINISHED: ReadonlySet<string> = new Set(['completed', 'cancelled', 'expired']);
/** Beyond this many unfinished trips the oldest are dropped from the board (not from the database). */
const MAX_TRIPS = 5_000;

/** The dashboard's shape of a trip. */
export function dashboardTrip(t: Trip): DashboardTrip {
  return {
    id: t.id, status: t.status, passengerId: t.passengerId, passengerName: t.passengerName, driverId: t.driverId,
    pickup: { address: t.pickup.address, latitude: t.pickup.latitude, longitude: t.pickup.longitude },
    dropoff: { address: t.dropoff.address, latitude: t.dropoff.latitude, longitude: t.dropoff.longitude },
    requestedAt: t.requestedAt, updatedAt: t.updatedAt,
  };
}

/** Unfinished trips this node has seen change, for the snapshot a dashboard gets when it starts watching. */
export class TripBoard {
  private readonly trips = new Map<string, DashboardTrip>();

  update(trip: DashboardTrip): void {
    this.trips.delete(trip.id);
    if (FINISHED.has(trip.status)) return;
    this.trips.set(trip.id, trip);
    if (this.trips.size > MAX_TRIPS) this.trips.delete(this.trips.keys().next().value!);
  }

  /** Newest change first. */
  list(): DashboardTrip[] {
    return [...this.trips.values()].reverse();
  }

  static isFinished(status: string): boolean {
    return FINISHED.has(status);
  }
}
