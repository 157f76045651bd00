import type { Clock } from '../../core/clock.ts';
import type { ActiveTrips, ActiveTripView } from '../../core/ride-ports.ts';

/**
 * `ActiveTrips.ofDriver` is asked on every fix; at one fix every few seconds
 * per driver, a lookup per fix would be the pipeline's main database load.
 * Answers are kept `ttlMs` and dropped as soon as the driver's trip changes
 * (`invalidate`): src/app.ts wires it to the trips module's
 * `trip.status_changed`, and with several nodes each node tells the others
 * (`locations:trip-changed`). The TTL only bounds a missed invalidation.
 * One lookup per driver is in flight at a time.
 */
export class TripCache {
  private readonly entries = new Map<string, { view: ActiveTripView | null; until: number }>();
  private readonly loading = new Map<string, Promise<ActiveTripView | null>>();

  constructor(
    private readonly source: ActiveTrips,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  ofDriver(driverId: string): Promise<ActiveTripView | null> {
    const hit = this.entries.get(driverId);
    if (hit && hit.until > this.clock.now()) return Promise.resolve(hit.view);
    const inFlight = this.loading.get(driverId);
    if (inFlight) return inFlight;
    // The answer is cached in the same step that resolves the waiters, so no
    // later caller can be answered (from the cache) before an earlier waiter.
    const pending: Promise<ActiveTripView | null> = this.source.ofDriver(driverId).then(
      (view) => {
        if (this.loading.get(driverId) === pending) {
          this.loading.delete(driverId);
          if (this.entries.size >= 200_000) this.entries.clear();
          this.entries.set(driverId, { view, until: this.clock.now() + this.ttlMs });
        }
        return view;
      },
      (err: unknown) => {
        if (this.loading.get(driverId) === pending) this.loading.delete(driverId);
        throw err;
      },
    );
    this.loading.set(driverId, pending);
    return pending;
  }

  /** The driver's trip changed: the next fix asks again. */
  invalidate(driverId: string): void {
    this.entries.delete(driverId);
    this.loading.delete(driverId);
  }
}
