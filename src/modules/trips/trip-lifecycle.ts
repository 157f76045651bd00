import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { DriverTracks } from '../../core/ride-ports.ts';
import type { ActiveTripsView } from './active-trips.ts';
import { billedTrip, fareMinor } from './fare.ts';
import type { ProfileReader } from './profiles.ts';
import type { TripsSettings } from './trip-settings.ts';
import { allowedFrom, TRIP_TRANSITIONS, type TripAction, type TripActor } from './trip-transitions.ts';
import type { ActorRole, CancelledBy, Trip, TripStatusChange } from './trip-types.ts';
import type { Changed, TransitionFields, TripsRepository } from './trips.repository.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { TripsEvents } from './trips-events.ts';

/** The user acting, from the socket or the HTTP principal. `name` is the token's, for users without a profile. */
export interface TripParty { userId: string; name?: string | undefined }
export interface TripCaller { userId: string; role: string }

export interface LifecycleDeps {
  trips: TripsRepository;
  activeTrips: ActiveTripsView;
  profiles: ProfileReader;
  events: Publisher<TripsEvents>;
  clock: Clock;
  settings: TripsSettings;
  tracks?: DriverTracks | undefined;
  log: Logger;
}

export interface CompleteInput { tripId: string; actualDistance?: number | undefined; actualDuration?: number | undefined }

interface Acting { actor: TripActor; actorRole: ActorRole; cancelledBy: CancelledBy }

/** How a caller's role acts on a trip; the relation itself (own passenger, assigned driver) is checked in SQL. */
function acting(role: string): Acting | null {
  switch (role) {
    case 'passenger': return { actor: 'passenger', actorRole: 'passenger', cancelledBy: 'passenger' };
    case 'driver': return { actor: 'assigned_driver', actorRole: 'driver', cancelledBy: 'driver' };
    case 'admin': return { actor: 'admin', actorRole: 'admin', cancelledBy: 'admin' };
    case 'service': return { actor: 'admin', actorRole: 'service', cancelledBy: 'system' };
    default: return null;
  }
}

/**
 * A trip after acceptance: arrival, start, completion, cancellation, and who
 * may read it or join its room. Each change is one conditional UPDATE whose
 * WHERE comes from the transition table and the caller's relation to the trip.
 */
export class TripLifecycle {
  constructor(protected readonly base: LifecycleDeps) {}

  async get(tripId: string): Promise<Trip> {
    const trip = await this.base.trips.get(tripId);
    if (!trip) throw new AppError('NOT_FOUND', 'Trip not found');
    return trip;
  }

  async getWithHistory(tripId: string): Promise<{ trip: Trip; history: TripStatusChange[] }> {
    const trip = await this.get(tripId);
    return { trip, history: await this.base.trips.history(tripId) };
  }

  async arrive(driverId: string, tripId: string): Promise<Trip> {
    const at = this.nowIso();
    const { trip } = await this.change('arrive', { userId: driverId, role: 'driver' }, tripId, { arrived_at: at }, null, at);
    this.base.events.publish('trip.driver_arrived', { trip });
    return trip;
  }

  async start(driverId: string, tripId: string): Promise<Trip> {
    const at = this.nowIso();
    const { trip } = await this.change('start', { userId: driverId, role: 'driver' }, tripId, { started_at: at }, null, at);
    this.base.events.publish('trip.started', { trip });
    return trip;
  }

  /** Fixes the fare from the tariff and the billed distance and duration; payment starts from `trip.completed`. */
  async complete(driverId: string, input: CompleteInput): Promise<Trip> {
    const now = this.base.clock.now();
    const at = new Date(now).toISOString();
    const current = await this.base.trips.get(input.tripId);
    if (!current || current.driverId !== driverId) return this.refuse('complete', { userId: driverId, role: 'driver' }, input.tripId);
    const bill = await this.bill(current, driverId, input, now);
    const { trip } = await this.change('complete', { userId: driverId, role: 'driver' }, input.tripId, {
      completed_at: at,
      actual_fare_minor: bill.fareMinor,
      actual_distance_m: bill.distanceM,
      actual_duration_s: bill.durationS,
      reported_distance_m: bill.reportedDistanceM,
      payment_status: 'pending',
    }, null, at);
    this.base.events.publish('trip.completed', {
      trip, tripId: trip.id, passengerId: trip.passengerId, driverId, tripType: trip.tripType, paymentMethod: trip.paymentMethod,
      fareMinor: bill.fareMinor, distanceM: bill.distanceM, durationS: bill.durationS, completedAt: at,
    });
    return trip;
  }

  /** Passenger or assigned driver before the start; admins and backends at any time before the end. */
  async cancel(caller: TripCaller, tripId: string, reason: string): Promise<Trip> {
    const at = this.nowIso();
    const how = acting(caller.role);
    if (!how) throw new AppError('FORBIDDEN', `${caller.role} may not cancel trips`);
    const { trip, closedOffers } = await this.change('cancel', caller, tripId, { cancelled_at: at, cancelled_by: how.cancelledBy, cancel_reason: reason }, reason, at);
    this.base.events.publish('trip.cancelled', { trip, cancelledBy: how.cancelledBy, reason });
    if (closedOffers.length) this.base.events.publish('trip.offers_withdrawn', { tripId, driverIds: closedOffers, reason: 'cancelled' });
    return trip;
  }

  /** `trip:{id}` is for the trip's passenger, its assigned driver and admins; everyone else (and unknown ids) is refused alike. */
  async authorizeRoom(userId: string, role: string, tripId: string): Promise<Trip> {
    const trip = await this.base.trips.get(tripId);
    if (trip && (role === 'admin' || trip.passengerId === userId || (role === 'driver' && trip.driverId === userId))) return trip;
    throw new AppError('ROOM_ACCESS_DENIED', 'Only the trip\'s passenger, its driver and admins may join its room');
  }

  protected nowIso(): string {
    return new Date(this.base.clock.now()).toISOString();
  }

  /** Runs the conditional UPDATE for `action`, publishes `trip.status_changed`, or explains the refusal. */
  private async change(action: 'arrive' | 'start' | 'complete' | 'cancel', caller: TripCaller, tripId: string, set: TransitionFields, reason: string | null, at: string): Promise<Changed> {
    const how = acting(caller.role);
    const to = TRIP_TRANSITIONS[action].to;
    const result = how
      ? await this.base.trips.transition({
        tripId, to, at, set, reason,
        from: allowedFrom(action, how.actor),
        passengerId: how.actor === 'passenger' ? caller.userId : undefined,
        driverId: how.actor === 'assigned_driver' ? caller.userId : undefined,
        actorRole: how.actorRole,
        actorId: caller.userId,
      })
      : null;
    if (!result) return this.refuse(action, caller, tripId);
    if (result.trip.driverId) this.base.activeTrips.invalidate(result.trip.driverId);
    this.base.events.publish('trip.status_changed', { trip: result.trip, from: result.trip.previousStatus, actorRole: how!.actorRole, actorId: caller.userId });
    return result;
  }

  /** Why a conditional update matched nothing: no such trip, not the caller's, or the wrong state. */
  private async refuse(action: TripAction, caller: TripCaller, tripId: string): Promise<never> {
    const trip = await this.base.trips.get(tripId);
    if (!trip) throw new AppError('NOT_FOUND', 'Trip not found');
    const how = acting(caller.role);
    const mine = how?.actor === 'admin'
      || (how?.actor === 'passenger' && trip.passengerId === caller.userId)
      || (how?.actor === 'assigned_driver' && trip.driverId === caller.userId);
    if (!mine) throw new AppError('FORBIDDEN', 'Not your trip');
    throw new AppError('INVALID_STATE', `Cannot ${action} a trip that is ${trip.status}`, { status: trip.status });
  }

  /** What the trip is billed for: the report, capped by the recorded track and by the time the server measured. */
  private async bill(trip: Trip, driverId: string, input: CompleteInput, now: number) {
    const started = Date.parse(trip.startedAt ?? trip.requestedAt);
    let trackKm: number | null = null;
    if (this.base.tracks) {
      try {
        trackKm = await this.base.tracks.trackDistanceKm(driverId, started, now);
      } catch (err) {
        // Without the track the report is still bounded by time; completing must not fail on it.
        this.base.log.warn({ err, tripId: trip.id }, 'driver track unavailable');
      }
    }
    const billed = billedTrip({
      reportedKm: input.actualDistance,
      reportedMinutes: input.actualDuration,
      trackKm,
      elapsedS: (now - started) / 1000,
      estimatedDistanceM: trip.estimatedDistanceM,
    });
    return { ...billed, fareMinor: fareMinor(this.base.settings.tariffs[trip.tripType], billed.distanceM, billed.durationS) };
  }
}
