import { assignmentConfirmed, driverArrived, newTripAvailable, roomData, tripAccepted, tripCancelled, tripCompleted, tripStarted, type TripsEvents } from '../../modules/trips/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Turns trips-module events into emits (family A, seed 001 room
 * events). Parties are reached through `user:{id}` (every socket of the user,
 * on every node); `trip:{id}` gets `trip:updated` for every status change plus
 * `trip:started|completed|cancelled`. An offer wave is one emit to many rooms.
 */
export function deliverTripEvents(events: EventSource<TripsEvents>, delivery: Delivery): void {
  events.on('trip.status_changed', ({ trip }) => {
    delivery.to(rooms.trip(trip.id), 'trip:updated', { tripId: trip.id, data: roomData(trip) });
  });

  events.on('trip.requested', ({ trip, nearbyDriversCount }) => {
    delivery.to(rooms.user(trip.passengerId), 'trip_request_sent', { tripId: trip.id, status: 'searching_driver', nearbyDriversCount });
  });

  events.on('trip.offered', ({ trip, passenger, driverIds, expiresAt }) => {
    delivery.to(driverIds.map(rooms.user), 'new_trip_available', newTripAvailable(trip, passenger, expiresAt));
  });

  events.on('trip.offers_withdrawn', ({ tripId, driverIds, reason }) => {
    delivery.to(driverIds.map(rooms.user), 'trip_unavailable', { tripId, reason });
  });

  events.on('trip.accepted', ({ trip, driver, passenger, driverLocation, estimatedArrivalMin }) => {
    delivery.to(rooms.user(trip.passengerId), 'trip_accepted', tripAccepted(trip, driver, driverLocation, estimatedArrivalMin));
    delivery.to(rooms.user(driver.id), 'trip_assignment_confirmed', assignmentConfirmed(trip, passenger));
  });

  events.on('trip.driver_arrived', ({ trip }) => {
    delivery.to(rooms.user(trip.passengerId), 'driver_arrived', driverArrived(trip));
  });

  events.on('trip.started', ({ trip }) => {
    delivery.to(rooms.user(trip.passengerId), 'trip_started', tripStarted(trip));
    delivery.to(rooms.trip(trip.id), 'trip:started', { tripId: trip.id, data: roomData(trip) });
  });

  // Payments (family C) will settle the trip from the same event; until then `paymentStatus` is `pending`.
  events.on('trip.completed', ({ trip }) => {
    delivery.to(rooms.user(trip.passengerId), 'trip_completed', tripCompleted(trip));
    delivery.to(rooms.trip(trip.id), 'trip:completed', { tripId: trip.id, data: roomData(trip) });
  });

  events.on('trip.cancelled', ({ trip, cancelledBy, reason }) => {
    // The other party: the canceller already has the answer.
    const parties = cancelledBy === 'passenger' ? [trip.driverId] : cancelledBy === 'driver' ? [trip.passengerId] : [trip.passengerId, trip.driverId];
    const to = parties.filter((id): id is string => id !== null).map(rooms.user);
    delivery.to(to, 'trip_cancelled', tripCancelled(trip));
    delivery.to(rooms.trip(trip.id), 'trip:cancelled', { tripId: trip.id, reason });
  });

  events.on('trip.expired', ({ trip, reason }) => {
    delivery.to(rooms.user(trip.passengerId), 'trip_expired', { tripId: trip.id, status: 'expired', reason });
  });
}
