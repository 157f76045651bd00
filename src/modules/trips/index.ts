/**
 * The trips module (family A): trip requests, dispatch waves,
 * offers, acceptance and the trip lifecycle. Other modules use only what is
 * exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { DriverTracks } from '../../core/ride-ports.ts';
import type { GeoIndex } from '../../state/geo-index.ts';
import type { Queryable } from '../../storage/index.ts';
import { ActiveTripsView } from './active-trips.ts';
import { OfferResends } from './offer-resends.ts';
import { OffersRepository } from './offers.repository.ts';
import type { ProfileReader } from './profiles.ts';
import { TripDispatcher } from './trip-dispatch.ts';
import type { TripsSettings } from './trip-settings.ts';
import { TripSweeper } from './trip-sweeper.ts';
import { TripsRepository } from './trips.repository.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { TripsEvents } from './trips-events.ts';
import { TripsService } from './trips.service.ts';

export type { TripsEvents, TripCompletedEvent } from './trips-events.ts';
export type { Trip, TripStatus, TripStatusChange, PartyProfile, DriverProfile, Place, PaymentStatus } from './trip-types.ts';
export { ACTIVE_STATUSES, ASSIGNED_STATUSES } from './trip-types.ts';
export type { TripsSettings, Tariff } from './trip-settings.ts';
export type { ProfileReader } from './profiles.ts';
export { TRIP_TRANSITIONS, allowedFrom, canTransition, type TripAction, type TripActor } from './trip-transitions.ts';
export { fareMinor, estimateRoute, toMoney, toKm, toMinutes, toMinutesCeil } from './fare.ts';
export { TripsService, type SweepResult, type TripRequestInput, type TripAcceptInput } from './trips.service.ts';
export type { PendingOffer } from './offer-resends.ts';
export type { TripParty, TripCaller, CompleteInput } from './trip-lifecycle.ts';
export type { ActiveTripsView } from './active-trips.ts';
export type { TripSweeper } from './trip-sweeper.ts';
export { tripSummary, roomData, newTripAvailable, tripAccepted, assignmentConfirmed, driverArrived, tripStarted, tripCompleted, tripCancelled } from './trip-payloads.ts';

export interface TripsModuleDeps {
  db: Queryable;
  geo: GeoIndex;
  profiles: ProfileReader;
  events: Publisher<TripsEvents>;
  clock: Clock;
  settings: TripsSettings;
  /** The location pipeline's recorded tracks; without them reported distances are bounded by time only. */
  tracks?: DriverTracks | undefined;
  log: Logger;
}

export interface TripsModule {
  service: TripsService;
  /** Implements `ActiveTrips` (src/core/ride-ports.ts) for the location pipeline. */
  activeTrips: ActiveTripsView;
  /** Start after the server listens; stop before the database closes. */
  sweeper: TripSweeper;
}

/** Builds the module: repositories, dispatcher, service, the active-trip view and the sweeper. */
export function createTripsModule(deps: TripsModuleDeps): TripsModule {
  const trips = new TripsRepository(deps.db);
  const offers = new OffersRepository(deps.db);
  const activeTrips = new ActiveTripsView(trips, deps.clock);
  const dispatcher = new TripDispatcher({ offers, geo: deps.geo, profiles: deps.profiles, events: deps.events, clock: deps.clock, settings: deps.settings });
  const resends = new OfferResends({ offers, profiles: deps.profiles, events: deps.events, clock: deps.clock, settings: deps.settings });
  const service = new TripsService({ ...deps, trips, offers, dispatcher, activeTrips, resends });
  // A tick: search deadlines and waves; offers still unanswered are shown again (independently: one failing leaves the other).
  const sweeper = new TripSweeper(() => Promise.all([service.sweep(), service.resendOffers()]), deps.settings.sweepIntervalMs, deps.log);
  return { service, activeTrips, sweeper };
}
