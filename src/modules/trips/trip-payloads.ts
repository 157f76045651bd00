import type { LatLng } from '../../core/ride-ports.ts';
import { toKm, toMinutes, toMinutesCeil, toMoney } from './fare.ts';
import type { DriverProfile, PartyProfile, Trip } from './trip-types.ts';
import type {
  DriverArrivedPayload,
  NewTripAvailablePayload,
  TripAcceptedPayload,
  TripAssignmentConfirmedPayload,
  TripCancelledPayload,
  TripCompletedPayload,
  TripRoomData,
  TripStartedPayload,
  TripSummary,
} from '../../protocol/families/rides.ts';

/**
 * Trip domain objects → family A wire payloads (seed 000 shapes). Money in
 * minor units becomes a two-place decimal, metres kilometres, seconds minutes.
 * Used by the delivery layer for emits and by the handlers for acks, so both
 * say the same thing.
 */
const latLng = (p: LatLng) => ({ latitude: p.latitude, longitude: p.longitude });

export function tripSummary(t: Trip): TripSummary {
  return {
    id: t.id,
    status: t.status,
    passengerId: t.passengerId,
    driverId: t.driverId,
    tripType: t.tripType,
    paymentMethod: t.paymentMethod,
    pickup: { ...t.pickup },
    dropoff: { ...t.dropoff },
    notes: t.notes,
    estimatedFare: toMoney(t.estimatedFareMinor),
    estimatedDistance: toKm(t.estimatedDistanceM),
    estimatedDuration: toMinutesCeil(t.estimatedDurationS),
    actualFare: t.actualFareMinor === null ? null : toMoney(t.actualFareMinor),
    actualDistance: t.actualDistanceM === null ? null : toKm(t.actualDistanceM),
    actualDuration: t.actualDurationS === null ? null : toMinutes(t.actualDurationS),
    paymentStatus: t.paymentStatus,
    requestedAt: t.requestedAt,
    acceptedAt: t.acceptedAt,
    arrivedAt: t.arrivedAt,
    startedAt: t.startedAt,
    completedAt: t.completedAt,
    cancelledAt: t.cancelledAt,
    cancelledBy: t.cancelledBy,
    cancelReason: t.cancelReason,
    expiredAt: t.expiredAt,
    updatedAt: t.updatedAt,
  };
}

export const roomData = (t: Trip): TripRoomData => ({ ...tripSummary(t), previousStatus: t.previousStatus });

export function newTripAvailable(t: Trip, passenger: PartyProfile, expiresAt: string): NewTripAvailablePayload {
  return {
    tripId: t.id,
    passengerId: t.passengerId,
    passengerName: passenger.name,
    passengerRating: passenger.rating,
    pickupAddress: t.pickup.address,
    pickupLocation: latLng(t.pickup),
    dropoffAddress: t.dropoff.address,
    dropoffLocation: latLng(t.dropoff),
    estimatedFare: toMoney(t.estimatedFareMinor),
    estimatedDistance: toKm(t.estimatedDistanceM),
    estimatedDuration: toMinutesCeil(t.estimatedDurationS),
    tripType: t.tripType,
    paymentMethod: t.paymentMethod,
    notes: t.notes,
    requestTime: t.requestedAt,
    expiresAt,
  };
}

export function tripAccepted(t: Trip, driver: DriverProfile, location: LatLng | null, etaMin: number | null): TripAcceptedPayload {
  return {
    tripId: t.id,
    driverId: driver.id,
    driverName: driver.name,
    driverRating: driver.rating,
    driverPhone: driver.phone,
    vehicleInfo: driver.vehicle ? { ...driver.vehicle } : null,
    driverLocation: location ? latLng(location) : null,
    estimatedArrival: etaMin,
    acceptedAt: t.acceptedAt ?? t.updatedAt,
  };
}

export function assignmentConfirmed(t: Trip, passenger: PartyProfile): TripAssignmentConfirmedPayload {
  return {
    tripId: t.id,
    passengerId: t.passengerId,
    passengerName: passenger.name,
    passengerPhone: passenger.phone,
    pickupAddress: t.pickup.address,
    pickupLocation: latLng(t.pickup),
    dropoffAddress: t.dropoff.address,
    dropoffLocation: latLng(t.dropoff),
    estimatedFare: toMoney(t.estimatedFareMinor),
    paymentMethod: t.paymentMethod,
    notes: t.notes,
  };
}

export const driverArrived = (t: Trip): DriverArrivedPayload => ({
  tripId: t.id, status: 'driver_arrived', message: 'Your driver has arrived', arrivedAt: t.arrivedAt ?? t.updatedAt,
});

export function tripStarted(t: Trip): TripStartedPayload {
  const startedAt = t.startedAt ?? t.updatedAt;
  return {
    tripId: t.id,
    status: 'in_progress',
    message: 'Trip has started',
    startedAt,
    estimatedArrival: new Date(Date.parse(startedAt) + t.estimatedDurationS * 1000).toISOString(),
  };
}

export const tripCompleted = (t: Trip): TripCompletedPayload => ({
  tripId: t.id,
  status: 'completed',
  message: 'Trip completed successfully',
  completedAt: t.completedAt ?? t.updatedAt,
  actualFare: toMoney(t.actualFareMinor ?? 0),
  actualDistance: toKm(t.actualDistanceM ?? 0),
  actualDuration: toMinutes(t.actualDurationS ?? 0),
  paymentStatus: t.paymentStatus ?? 'pending',
});

export const tripCancelled = (t: Trip): TripCancelledPayload => ({
  tripId: t.id,
  status: 'cancelled',
  cancelledBy: t.cancelledBy ?? 'system',
  reason: t.cancelReason ?? '',
  cancelledAt: t.cancelledAt ?? t.updatedAt,
});
