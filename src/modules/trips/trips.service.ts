import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { LatLng } from '../../core/ride-ports.ts';
import type { GeoIndex } from '../../state/geo-index.ts';
import { estimateRoute, etaMinutes, fareMinor } from './fare.ts';
import type { OfferResends, PendingOffer } from './offer-resends.ts';
import type { OffersRepository } from './offers.repository.ts';
import { driverProfile, partyProfile } from './profiles.ts';
import type { TripDispatcher } from './trip-dispatch.ts';
import { uniqueViolation } from './trip-rows.ts';
import { allowedFrom } from './trip-transitions.ts';
import { ASSIGNED_STATUSES, type PartyProfile, type PaymentMethod, type Trip, type TripType } from './trip-types.ts';
import type { Changed } from './trips.repository.ts';
import { TripLifecycle, type LifecycleDeps, type TripParty } from './trip-lifecycle.ts';

export interface TripRequestInput {
  pickupAddress: string;
  pickupLatitude: number;
  pickupLongitude: number;
  dropoffAddress: string;
  dropoffLatitude: number;
  dropoffLongitude: number;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  notes?: string | undefined;
  estimatedFare?: number | undefined;
}

export interface TripAcceptInput { tripId: string; estimatedArrival?: number | undefined; driverLocation?: LatLng | undefined }

export interface TripsServiceDeps extends LifecycleDeps {
  offers: OffersRepository;
  dispatcher: TripDispatcher;
  geo: GeoIndex;
  resends: OfferResends;
}

/** What a sweep did (tests and logs). */
export interface SweepResult { expired: number; waves: number }

/**
 * Trips: request, dispatch, accept and reject here; the lifecycle after
 * acceptance in `TripLifecycle`. Every status change is one conditional
 * statement built from the transition table; on success the service
 * publishes what happened, on failure it reads the trip once to say why.
 * Knows nothing about sockets.
 */
export class TripsService extends TripLifecycle {
  private sweeping: Promise<SweepResult> | undefined;

  constructor(private readonly d: TripsServiceDeps) {
    super(d);
  }

  /** Creates a trip (`searching_driver`) and dispatches its first wave. */
  async request(passenger: TripParty, input: TripRequestInput): Promise<{ trip: Trip; nearbyDriversCount: number }> {
    const { settings, clock } = this.d;
    const now = clock.now();
    const pickup = { address: input.pickupAddress, latitude: input.pickupLatitude, longitude: input.pickupLongitude };
    const dropoff = { address: input.dropoffAddress, latitude: input.dropoffLatitude, longitude: input.dropoffLongitude };
    const route = estimateRoute(settings, pickup, dropoff);
    const party = await partyProfile(this.d.profiles, passenger.userId, passenger.name ?? 'Passenger');
    const searchExpiresAt = new Date(now + settings.searchTimeoutS * 1000).toISOString();
    const candidates = this.d.dispatcher.candidates(pickup, 1, now);
    const deadline = this.d.dispatcher.waveDeadline({ searchExpiresAt }, now);
    let created: { trip: Trip; offered: string[] };
    try {
      created = await this.d.trips.insert({
        id: randomUUID(),
        passengerId: passenger.userId,
        passengerName: party.name,
        tripType: input.tripType,
        paymentMethod: input.paymentMethod,
        pickup,
        dropoff,
        notes: input.notes || null,
        clientEstimatedFareMinor: input.estimatedFare === undefined ? null : Math.round(input.estimatedFare * 100),
        estimatedFareMinor: fareMinor(settings.tariffs[input.tripType], route.distanceM, route.durationS),
        estimatedDistanceM: route.distanceM,
        estimatedDurationS: route.durationS,
        requestedAt: new Date(now).toISOString(),
        searchExpiresAt,
        firstWave: candidates.length ? { candidates, limit: settings.offersPerWave, deadline } : null,
      });
    } catch (err) {
      if (uniqueViolation(err) === 'trips_one_active_per_passenger') throw new AppError('ACTIVE_TRIP_EXISTS');
      throw err;
    }
    const { trip, offered } = created;
    this.d.events.publish('trip.status_changed', { trip, from: null, actorRole: 'passenger', actorId: passenger.userId });
    let nearbyDriversCount = offered.length;
    if (offered.length) await this.d.dispatcher.announce(trip, offered, 1, deadline, party);
    else {
      // Nobody in the first radius: widen now. The trip exists whatever happens here: a
      // failed widening is left to the sweeper (the row's next wave is already due).
      try {
        nearbyDriversCount = (await this.d.dispatcher.nextWave(trip, party))?.offered ?? 0;
      } catch (err) {
        this.d.log.warn({ err, tripId: trip.id }, 'first dispatch failed; the sweeper retries');
      }
    }
    this.d.events.publish('trip.requested', { trip, passenger: party, nearbyDriversCount });
    return { trip, nearbyDriversCount };
  }

  /**
   * First accept wins (one conditional UPDATE). Every loser gets the reason:
   * TRIP_ALREADY_ACCEPTED, OFFER_EXPIRED or INVALID_STATE. A repeated accept
   * by the winner answers again without publishing anything.
   */
  async accept(driver: TripParty, input: TripAcceptInput): Promise<{ trip: Trip; passenger: PartyProfile }> {
    const now = this.d.clock.now();
    const at = new Date(now).toISOString();
    const location = this.positionOf(driver.userId, now) ?? input.driverLocation ?? null;
    let result: Changed | null;
    try {
      result = await this.d.trips.accept({
        tripId: input.tripId,
        driverId: driver.userId,
        at,
        from: allowedFrom('accept', 'offered_driver'),
        etaMin: input.estimatedArrival === undefined ? null : Math.ceil(input.estimatedArrival),
        location,
      });
    } catch (err) {
      if (uniqueViolation(err) === 'trips_one_active_per_driver') throw new AppError('INVALID_STATE', 'You already have an active trip');
      throw err;
    }
    if (!result) return this.explainAccept(driver.userId, input.tripId, now);
    const { trip, closedOffers } = result;
    this.d.activeTrips.invalidate(driver.userId);
    const [profile, passenger] = await Promise.all([
      driverProfile(this.d.profiles, driver.userId, driver.name ?? 'Driver'),
      partyProfile(this.d.profiles, trip.passengerId, trip.passengerName),
    ]);
    const estimatedArrivalMin = trip.acceptEtaMin ?? (location ? etaMinutes(this.d.settings, location, trip.pickup) : null);
    this.d.events.publish('trip.status_changed', { trip, from: trip.previousStatus, actorRole: 'driver', actorId: driver.userId });
    this.d.events.publish('trip.accepted', { trip, driver: profile, passenger, driverLocation: location, estimatedArrivalMin });
    if (closedOffers.length) this.d.events.publish('trip.offers_withdrawn', { tripId: trip.id, driverIds: closedOffers, reason: 'accepted_by_another_driver' });
    return { trip, passenger };
  }

  /** Declines an offer; the driver is not offered this trip again. When nobody is left to answer, the next wave starts now. */
  async reject(driverId: string, tripId: string, reason: string): Promise<void> {
    const now = this.d.clock.now();
    const at = new Date(now).toISOString();
    const done = await this.d.offers.reject({ tripId, driverId, at, reason, from: allowedFrom('reject', 'offered_driver') });
    if (!done) {
      const [trip, offer] = await Promise.all([this.d.trips.get(tripId), this.d.offers.offerOf(tripId, driverId)]);
      if (!trip || !offer) throw new AppError('NOT_FOUND', 'No offer for this trip');
      if (offer.status === 'rejected') return;
      if (trip.status !== 'searching_driver') throw new AppError('INVALID_STATE', `The trip is ${trip.status}`, { status: trip.status });
      throw new AppError('OFFER_EXPIRED');
    }
    if ((await this.d.offers.liveOffers(tripId, at)) > 0) return;
    const trip = await this.d.trips.get(tripId);
    if (trip?.status === 'searching_driver') await this.d.dispatcher.nextWave(trip);
  }

  /**
   * Expires searches past their deadline and widens waves past theirs. Any
   * node may run it at any time: every step is a conditional update, so two
   * sweepers never act twice on the same trip.
   */
  sweep(): Promise<SweepResult> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Publishes `trip.offer_resent` for offers still unanswered `offerResendS` after they were last sent (each sweeper tick, every node). */
  resendOffers(): Promise<number> {
    return this.d.resends.resendDue();
  }

  /** A driver's live, unanswered offers, shown again when the driver signs in. */
  pendingOffersFor(driverId: string): Promise<PendingOffer[]> {
    return this.d.resends.pendingFor(driverId);
  }

  private async sweepOnce(): Promise<SweepResult> {
    const at = new Date(this.d.clock.now()).toISOString();
    const expired = await this.d.offers.expireDue(at, 200, allowedFrom('expire', 'system'));
    for (const { trip, closedOffers } of expired) {
      this.d.events.publish('trip.status_changed', { trip, from: trip.previousStatus, actorRole: 'system', actorId: null });
      this.d.events.publish('trip.expired', { trip, reason: 'no_driver_accepted' });
      if (closedOffers.length) this.d.events.publish('trip.offers_withdrawn', { tripId: trip.id, driverIds: closedOffers, reason: 'expired' });
    }
    let waves = 0;
    for (const due of await this.d.offers.dueWaves(at, 200)) {
      try {
        const trip = await this.d.trips.get(due.tripId);
        if (trip?.status !== 'searching_driver' || trip.wave !== due.wave) continue;
        if (await this.d.dispatcher.nextWave(trip)) waves++;
      } catch (err) {
        // One trip's failure must not hold up the others; it is still due next sweep.
        this.d.log.warn({ err, tripId: due.tripId }, 'dispatch wave failed');
      }
    }
    return { expired: expired.length, waves };
  }

  private positionOf(driverId: string, now: number): LatLng | null {
    const p = this.d.geo.get(driverId);
    return p && p.at >= now - this.d.settings.driverStaleAfterS * 1000 ? { latitude: p.latitude, longitude: p.longitude } : null;
  }

  private async explainAccept(driverId: string, tripId: string, now: number): Promise<{ trip: Trip; passenger: PartyProfile }> {
    const [trip, offer] = await Promise.all([this.d.trips.get(tripId), this.d.offers.offerOf(tripId, driverId)]);
    if (!trip || !offer) throw new AppError('NOT_FOUND', 'No offer for this trip');
    if (trip.driverId === driverId && (ASSIGNED_STATUSES as readonly string[]).includes(trip.status)) {
      return { trip, passenger: await partyProfile(this.d.profiles, trip.passengerId, trip.passengerName) };
    }
    if (trip.driverId !== null && trip.driverId !== driverId) throw new AppError('TRIP_ALREADY_ACCEPTED');
    if (trip.status === 'expired') throw new AppError('OFFER_EXPIRED', 'The trip expired');
    if (trip.status !== 'searching_driver') throw new AppError('INVALID_STATE', `The trip is ${trip.status}`, { status: trip.status });
    if (offer.status === 'rejected') throw new AppError('INVALID_STATE', 'You rejected this trip', { offer: offer.status });
    if (offer.status === 'expired' || Date.parse(offer.expiresAt) <= now) throw new AppError('OFFER_EXPIRED');
    throw new AppError('INVALID_STATE', 'The offer is no longer open', { offer: offer.status });
  }
}
