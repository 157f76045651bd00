import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { ActiveTrips, ActiveTripView } from '../../core/ride-ports.ts';
import type { GpsFix, NearbyDriversPayload } from '../../protocol/families/locations.ts';
import { type DriverPoint, type GeoIndex } from '../../state/geo-index.ts';
import { distanceM } from '../../core/geo.ts';
import { estimateEta, smoothSpeed, type EtaSettings } from './eta.ts';
import type { PositionWriter } from './history-writer.ts';
import { TripCache } from './trip-cache.ts';
import { checkFix, REJECT_MESSAGES, type FixLimits } from './location-filter.ts';
import type { AcceptedFix, LocationsEvents } from './locations-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { DriverProfiles, DriverVehicles, PositionSink } from './ports.ts';

export interface LocationsSettings {
  limits: FixLimits;
  eta: EtaSettings;
  /** Positions older than this are not "fresh": not offered trips, not in nearby results. */
  driverStaleAfterMs: number;
  /** How long a driver's active trip (or its absence) is trusted without asking again (see TripCache). */
  tripCacheMs: number;
}

/** A driver's profile (for the vehicle type) is read again after this long, or when it changes. */
const PROFILE_REFRESH_MS = 10 * 60_000;

export interface LocationsServiceDeps {
  geo: GeoIndex;
  history: PositionWriter;
  trips: ActiveTrips;
  vehicles: DriverVehicles;
  profiles: DriverProfiles;
  /** The cross-node position feed, when REDIS_URL is set. */
  feed?: PositionSink | undefined;
  events: Publisher<LocationsEvents>;
  clock: Clock;
  settings: LocationsSettings;
  log: Logger;
}

export interface ReportInput {
  location: Pick<GpsFix, 'latitude' | 'longitude'> & Partial<GpsFix>;
  /** Epoch ms the fix was taken; the server's time when absent. */
  timestamp?: number | undefined;
  isOnline?: boolean | undefined;
  isAvailable?: boolean | undefined;
}

/** What this node remembers of a driver it serves (ephemeral: rebuilt from the next fix). */
interface DriverState {
  fix: AcceptedFix | undefined;
  /** Smoothed recent speed, km/h. */
  speedKmh: number | undefined;
  isAvailable: boolean;
  isOnline: boolean;
  /** Newest fix already relayed to a passenger: an older one finishing its lookups late is not sent. */
  relayedAt: number;
  /** The profile's vehicle type, and when it was read (0: read it on the next fix). */
  profileType: string | undefined;
  profileReadAt: number;
  /** The type of the fleet vehicle the driver is assigned to, which wins over the profile's. */
  fleetType: string | undefined;
}

const newState = (): DriverState => ({ fix: undefined, speedKmh: undefined, isAvailable: true, isOnline: true, relayedAt: 0, profileType: undefined, profileReadAt: -Infinity, fleetType: undefined });

/**
 * The location pipeline: filter → nearby index (and the cross-node feed) →
 * availability → batched history → vehicle and geofences (via
 * `location.driver_moved`) → the passenger of the driver's active trip (via
 * `location.trip_position`). Everything before the filter's verdict is read
 * only, so a refused fix changes nothing.
 */
export class LocationsService {
  private readonly drivers = new Map<string, DriverState>();
  /** Per driver, the tail of the fixes being processed. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private lastLookupWarning = 0;
  private readonly trips: TripCache;

  constructor(private readonly deps: LocationsServiceDeps) {
    this.trips = new TripCache(deps.trips, deps.clock, deps.settings.tripCacheMs);
  }

  /** The driver's trip changed on this node (trips module events): relay from the next fix on. */
  tripChanged(driverId: string): void {
    this.trips.invalidate(driverId);
    // A driver reporting to this node will send a fix soon: read the new trip now rather than
    // on that fix (measured: thousands of trips accepted in a row otherwise queued their
    // first fixes behind thousands of lookups at once). Other nodes only drop their copy.
    if (this.drivers.has(driverId)) this.trips.ofDriver(driverId).catch(() => undefined);
  }

  /** The driver's profile changed (on any node): read its vehicle type again now, for the index. */
  profileChanged(driverId: string): void {
    const state = this.drivers.get(driverId);
    if (state) this.refreshProfile(driverId, state, this.deps.clock.now());
  }

  /**
   * A driver's fix. Throws VALIDATION_ERROR (reason in details) when it is
   * implausible. The checks and writes of one driver's fixes run one after
   * another in arrival order (the router runs handlers concurrently, and a
   * burst whose lookups finished out of order would refuse its own later
   * fixes); the trip lookup and the relay run after, so a slow lookup never
   * holds up the next fix, and `relayedAt` keeps relays in order. When
   * nothing of the driver's is queued and the vehicle snapshot is loaded (the
   * usual case), the fix is checked and written at once, without the queue's
   * promises: nothing can overtake it.
   */
  async report(driverId: string, input: ReportInput, now = this.deps.clock.now()): Promise<{ recordedAt: string; tripId: string | null }> {
    const vehicle = this.queues.has(driverId) ? undefined : this.deps.vehicles.vehicleOfNow?.(driverId);
    const { fix, state } = vehicle !== undefined
      ? this.acceptWith(driverId, input, now, vehicle)
      : await this.inOrder(driverId, () => this.accept(driverId, input, now));
    const trip = await this.trips.ofDriver(driverId).catch((err: unknown) => this.lookupFailed(err, null));
    if (trip && fix.at > state.relayedAt) {
      state.relayedAt = fix.at;
      this.relay(trip, fix, state.speedKmh);
    }
    return { recordedAt: new Date(fix.at).toISOString(), tripId: trip?.tripId ?? null };
  }

  private inOrder<T>(driverId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(driverId);
    const run = previous ? previous.then(task, task) : task();
    const tail = run.catch(() => undefined);
    this.queues.set(driverId, tail);
    void tail.then(() => {
      if (this.queues.get(driverId) === tail) this.queues.delete(driverId);
    });
    return run;
  }

  /** The vehicle lookup (an in-memory snapshot, and it never fails the fix), then `acceptWith`. */
  private async accept(driverId: string, input: ReportInput, now: number): Promise<{ fix: AcceptedFix; state: DriverState }> {
    const vehicle = await this.deps.vehicles.vehicleOf(driverId).catch((err: unknown) => this.lookupFailed(err, null));
    return this.acceptWith(driverId, input, now, vehicle);
  }

  /** Filter → index, feed, history, `location.driver_moved`, with no await: nothing is written before the verdict. */
  private acceptWith(driverId: string, input: ReportInput, now: number, vehicle: { vehicleId: string; type: string } | null): { fix: AcceptedFix; state: DriverState } {
    const { geo, settings } = this.deps;
    const loc = input.location;
    const fix: AcceptedFix = { latitude: loc.latitude, longitude: loc.longitude, heading: loc.heading, speed: loc.speed, accuracy: loc.accuracy, at: input.timestamp ?? now };
    const state = this.drivers.get(driverId);
    const prev = state?.fix ?? geo.get(driverId);
    const reason = checkFix(prev, fix, now, settings.limits);
    if (reason) {
      throw new AppError('VALIDATION_ERROR', REJECT_MESSAGES[reason], { field: reason === 'impossible_jump' ? 'location' : 'timestamp', reason });
    }

    const next: DriverState = state ?? newState();
    next.speedKmh = smoothSpeed(next.speedKmh, fix.speed ?? impliedSpeedKmh(prev, fix));
    next.fix = fix;
    next.fleetType = vehicle?.type;
    if (input.isAvailable !== undefined) next.isAvailable = input.isAvailable;
    if (input.isOnline !== undefined) next.isOnline = input.isOnline;
    this.drivers.set(driverId, next);

    if (next.isOnline) {
      const point: DriverPoint = {
        driverId, latitude: fix.latitude, longitude: fix.longitude, heading: fix.heading, speed: fix.speed, at: fix.at,
        isAvailable: next.isAvailable, vehicleType: next.fleetType ?? next.profileType,
      };
      geo.upsert(point);
      this.deps.feed?.upsert(point);
    } else {
      this.takeOffMap(driverId);
    }
    const vehicleId = vehicle?.vehicleId ?? null;
    this.deps.history.add({ driverId, vehicleId, at: fix.at, latitude: fix.latitude, longitude: fix.longitude, heading: fix.heading, speed: fix.speed, accuracy: fix.accuracy, altitude: loc.altitude });
    this.deps.events.publish('location.driver_moved', { driverId, vehicleId, fix });
    if (now - next.profileReadAt > PROFILE_REFRESH_MS) this.refreshProfile(driverId, next, now);
    return { fix, state: next };
  }

  /**
   * Reads the profile's vehicle type in the background (a fix never waits for
   * it: a fleet of drivers coming online at once would queue thousands of
   * reads in front of their positions) and corrects the indexed point.
   */
  private refreshProfile(driverId: string, state: DriverState, now: number): void {
    state.profileReadAt = now;
    this.deps.profiles.get(driverId).then(
      (profile) => {
        state.profileType = profile?.vehicle?.type;
        const point = this.deps.geo.get(driverId);
        const type = state.fleetType ?? state.profileType;
        if (!point || point.vehicleType === type || this.drivers.get(driverId) !== state) return;
        const corrected = { ...point, vehicleType: type };
        this.deps.geo.upsert(corrected);
        this.deps.feed?.upsert(corrected);
      },
      (err: unknown) => {
        state.profileReadAt = 0;
        this.lookupFailed(err, undefined);
      },
    );
  }

  /** `update_availability`: a location goes through the same checks as a fix taken now. */
  async updateAvailability(driverId: string, input: { isAvailable: boolean; isOnline: boolean; location?: { latitude: number; longitude: number } | undefined }, now = this.deps.clock.now()) {
    if (input.location) {
      await this.report(driverId, { location: input.location, isAvailable: input.isAvailable, isOnline: input.isOnline }, now);
    } else {
      const state = this.drivers.get(driverId) ?? newState();
      state.isAvailable = input.isAvailable;
      state.isOnline = input.isOnline;
      this.drivers.set(driverId, state);
      if (!input.isOnline) this.takeOffMap(driverId);
      else {
        this.deps.geo.setAvailability(driverId, input.isAvailable);
        this.deps.feed?.setAvailability(driverId, input.isAvailable);
      }
    }
    const pos = this.deps.geo.get(driverId);
    return { isAvailable: input.isAvailable, isOnline: input.isOnline, location: pos && input.isOnline ? { latitude: pos.latitude, longitude: pos.longitude } : null };
  }

  /** Fresh drivers near a point, nearest first, with their display data (seed 000 `nearby_drivers`). */
  async nearby(q: { location: { latitude: number; longitude: number }; radius: number; limit: number; availableOnly: boolean; vehicleType?: string | undefined }, now = this.deps.clock.now()): Promise<NearbyDriversPayload> {
    const found = this.deps.geo.nearby({
      latitude: q.location.latitude, longitude: q.location.longitude, radiusM: q.radius, limit: q.limit,
      freshSince: now - this.deps.settings.driverStaleAfterMs, availableOnly: q.availableOnly, vehicleType: q.vehicleType,
    });
    const profiles = await Promise.all(found.map((d) => this.deps.profiles.get(d.driverId).catch((err: unknown) => this.lookupFailed(err, null))));
    return {
      location: { latitude: q.location.latitude, longitude: q.location.longitude },
      radius: q.radius,
      drivers: found.map((d, i) => ({
        driverId: d.driverId,
        name: profiles[i]?.name ?? null,
        rating: profiles[i]?.rating ?? null,
        location: { latitude: d.latitude, longitude: d.longitude },
        distance: Math.round(d.distanceM),
        isAvailable: d.isAvailable,
        vehicleType: d.vehicleType ?? null,
        lastUpdate: new Date(d.at).toISOString(),
      })),
      timestamp: new Date(now).toISOString(),
    };
  }

  /** The passenger of the driver's active trip, or an admin, may watch the driver. */
  canWatch(userId: string, role: string, driverId: string): Promise<boolean> {
    if (role === 'admin') return Promise.resolve(true);
    return this.deps.trips.canWatchDriver(userId, driverId);
  }

  /** Forgets drivers silent for longer than any check or query still cares about (memory stays bounded). */
  sweep(now = this.deps.clock.now()): void {
    const cutoff = now - Math.max(this.deps.settings.limits.maxAgeMs, this.deps.settings.driverStaleAfterMs) * 2;
    for (const [id, s] of this.drivers) if (!s.fix || s.fix.at < cutoff) this.drivers.delete(id);
    const geo = this.deps.geo as GeoIndex & { prune?: (before: number) => number };
    geo.prune?.(cutoff);
  }

  private takeOffMap(driverId: string): void {
    this.deps.geo.remove(driverId);
    this.deps.feed?.remove(driverId);
  }

  private relay(trip: ActiveTripView, fix: AcceptedFix, speedKmh: number | undefined): void {
    const target = trip.status === 'in_progress' ? trip.dropoff : trip.pickup;
    const eta = estimateEta(fix, target, speedKmh, this.deps.settings.eta);
    this.deps.events.publish('location.trip_position', {
      driverId: trip.driverId,
      passengerId: trip.passengerId,
      payload: {
        tripId: trip.tripId,
        driverId: trip.driverId,
        location: { latitude: fix.latitude, longitude: fix.longitude, heading: fix.heading ?? null, speed: fix.speed ?? null },
        estimatedArrival: eta.minutes,
        distance: eta.distanceKm,
        timestamp: new Date(fix.at).toISOString(),
      },
    });
  }

  private lookupFailed<T>(err: unknown, fallback: T): T {
    // At thousands of fixes a second an outage would otherwise flood the log.
    const now = Date.now();
    if (now - this.lastLookupWarning > 10_000) {
      this.lastLookupWarning = now;
      this.deps.log.warn({ err }, 'location pipeline lookup failed; continuing without it');
    }
    return fallback;
  }
}

/** km/h between two fixes at least a second apart, when the device reports no speed. */
function impliedSpeedKmh(prev: { at: number; latitude: number; longitude: number } | undefined, fix: AcceptedFix): number | undefined {
  if (!prev || fix.at - prev.at < 1000) return undefined;
  return (distanceM(prev.latitude, prev.longitude, fix.latitude, fix.longitude) / ((fix.at - prev.at) / 1000)) * 3.6;
}
