import type { LatLng } from '../../core/ride-ports.ts';
import type { ActorRole, CancelledBy, DriverProfile, PartyProfile, PaymentMethod, Trip, TripStatus, TripType, TripUnavailableReason } from './trip-types.ts';

/** Everything payments (family C) needs to charge a completed trip. */
export interface TripCompletedEvent {
  trip: Trip;
  tripId: string;
  passengerId: string;
  driverId: string;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  /** The fare to charge, integer minor units. */
  fareMinor: number;
  distanceM: number;
  durationS: number;
  completedAt: string;
}

/**
 * What the trips module reports. It knows nothing about sockets: the
 * delivery layer (src/realtime/trips/delivery.ts) turns these into emits, and
 * later modules (payments, chat) subscribe to them. Every status change is
 * published as `trip.status_changed` first, then as its specific event.
 */
export interface TripsEvents {
  'trip.requested': { trip: Trip; passenger: PartyProfile; nearbyDriversCount: number };
  /** One wave of offers: many drivers, one event. */
  'trip.offered': { trip: Trip; passenger: PartyProfile; driverIds: string[]; wave: number; expiresAt: string };
  /**
   * Live offers still unanswered, shown again (same trip, same expiresAt). Published
   * on every node's sweeper tick: each node shows it to its own sockets only.
   */
  'trip.offer_resent': { trip: Trip; passenger: PartyProfile; driverIds: string[]; wave: number; expiresAt: string };
  /** Drivers holding an offer that can no longer be accepted. */
  'trip.offers_withdrawn': { tripId: string; driverIds: string[]; reason: TripUnavailableReason };
  'trip.status_changed': { trip: Trip; from: TripStatus | null; actorRole: ActorRole; actorId: string | null };
  'trip.accepted': { trip: Trip; driver: DriverProfile; passenger: PartyProfile; driverLocation: LatLng | null; estimatedArrivalMin: number | null };
  'trip.driver_arrived': { trip: Trip };
  'trip.started': { trip: Trip };
  'trip.completed': TripCompletedEvent;
  'trip.cancelled': { trip: Trip; cancelledBy: CancelledBy; reason: string };
  'trip.expired': { trip: Trip; reason: string };
}

