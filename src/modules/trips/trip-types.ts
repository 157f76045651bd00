import type { LatLng } from '../../core/ride-ports.ts';
import type { CancelledBy, PaymentMethod, TripStatus, TripType, TripUnavailableReason } from '../../protocol/families/rides.ts';

export type { CancelledBy, PaymentMethod, TripStatus, TripType, TripUnavailableReason };

/** Statuses in which a passenger has a trip (one at most: a partial unique index). */
export const ACTIVE_STATUSES = ['searching_driver', 'accepted', 'driver_arrived', 'in_progress'] as const satisfies readonly TripStatus[];
/** Statuses in which a driver is on a trip (one at most: a partial unique index). */
export const ASSIGNED_STATUSES = ['accepted', 'driver_arrived', 'in_progress'] as const satisfies readonly TripStatus[];

export interface Place extends LatLng { address: string }

export type PaymentStatus = 'pending' | 'processing' | 'completed' | 'failed';

/** A trip as the module knows it. Money in minor units, distances in metres, durations in seconds, times ISO-8601. */
export interface Trip {
  id: string;
  status: TripStatus;
  /** The status before the last change (null for a new trip). */
  previousStatus: TripStatus | null;
  passengerId: string;
  /** Display name at request time. */
  passengerName: string;
  driverId: string | null;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  pickup: Place;
  dropoff: Place;
  notes: string | null;
  clientEstimatedFareMinor: number | null;
  estimatedFareMinor: number;
  estimatedDistanceM: number;
  estimatedDurationS: number;
  wave: number;
  waveExpiresAt: string | null;
  searchExpiresAt: string;
  acceptEtaMin: number | null;
  acceptLocation: LatLng | null;
  actualFareMinor: number | null;
  actualDistanceM: number | null;
  actualDurationS: number | null;
  reportedDistanceM: number | null;
  paymentStatus: PaymentStatus | null;
  requestedAt: string;
  acceptedAt: string | null;
  arrivedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelledBy: CancelledBy | null;
  cancelReason: string | null;
  expiredAt: string | null;
  updatedAt: string;
}

/** Who caused a status change, as recorded in the history. */
export type ActorRole = 'passenger' | 'driver' | 'admin' | 'service' | 'system';

export interface TripStatusChange {
  from: TripStatus | null;
  to: TripStatus;
  actorRole: ActorRole;
  actorId: string | null;
  reason: string | null;
  at: string;
}

/** A party's public profile as offers and confirmations show it. */
export interface PartyProfile {
  id: string;
  name: string;
  rating: number | null;
  phone: string | null;
}

export interface VehicleView { make: string; model: string; year: number; color: string; plateNumber: string; type?: string }
export interface DriverProfile extends PartyProfile { vehicle: VehicleView | null }
