import type { Clock } from '../../core/clock.ts';
import type { ActiveTrips, ActiveTripView } from '../../core/ride-ports.ts';

/**
 * `ActiveTrips.ofDriver` is asked on every fix; at one fix every few seconds
 * per driver, a lookup per fix would be the pipeline's main database load.
 * Answers are kept `ttlMs` and dropped as soon as the driver's trip changes
 * (`invalidate`): src/app.ts wires it to the trips module's
 * `trip.status_changed`, and with several nodes each node tells the others
 * (`locations:trip-changed`). The TTL only bounds a missed invalidation, so
 * an expired answer is still served while it is refreshed in the background
 * (measured: thousands of drivers cached at the same moment otherwise all
 * expire together and their fixes queue behind the refresh), and each
 * driver's TTL is spread over ±25 %. After `invalidate` the next fix waits for
 * the fresh answer. One lookup per driver is in flight at a time.
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
    if (hit) {
      if (hit.until <= this.clock.now() && !this.loading.has(driverId)) this.load(driverId).catch(() => undefined);
      return Promise.resolve(hit.view);
    }
    return this.loading.get(driverId) ?? this.load(driverId);
  }

  /** The driver's trip changed: the next fix asks again. */
  invalidate(driverId: string): void {
    this.entries.delete(driverId);
    this.loading.delete(driverId);
  }

  private load(driverId: string): Promise<ActiveTripView | null> {
    // The answer is cached in the same step that resolves the waiters, so no
    // later caller can be answered (from the cache) before an earlier waiter.
    const pending: Promise<ActiveTripView | null> = this.source.ofDriver(driverId).then(
      (view) => {
        if (this.loading.get(driverId) === pending) {
          this.loading.delete(driverId);
          if (this.entries.size >= 200_000) this.entries.clear();
          this.entries.set(driverId, { view, until: this.clock.now() + this.ttlMs * spread(driverId) });
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
}

/** 0.75–1.25, fixed per driver (a string hash, so no randomness to inject). */
function spread(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return 0.75 + ((h >>> 0) % 1000) / 2000;
}
