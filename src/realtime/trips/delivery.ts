import { assignmentConfirmed, driverArrived, newTripAvailable, roomData, tripAccepted, tripCancelled, tripCompleted, tripStarted, type Trip, type TripsEvents } from '../../modules/trips/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Turns trips-module events into emits (family A, seed 001 room
 * events). Parties are reached through their durable streams (every socket of
 * the user, on every node, `_seq`, resumable); `trip:updated` for every status
 * change plus `trip:started|completed|cancelled` go to the rider and driver
 * that way and, plain, to the other watchers of `trip:{id}` (admins). An offer
 * wave is one append and one message for many drivers.
 */
export function deliverTripEvents(events: EventSource<TripsEvents>, delivery: Delivery): void {
  const parties = (trip: Trip) => (trip.driverId ? [trip.passengerId, trip.driverId] : [trip.passengerId]);
  const toRoom = (trip: Trip) => ({ watchers: [rooms.trip(trip.id)] });

  events.on('trip.status_changed', ({ trip }) => {
    void delivery.durable(parties(trip), 'trip:updated', { tripId: trip.id, data: roomData(trip) }, toRoom(trip));
  });

  events.on('trip.requested', ({ trip, nearbyDriversCount }) => {
    void delivery.durable([trip.passengerId], 'trip_request_sent', { tripId: trip.id, status: 'searching_driver', nearbyDriversCount });
  });

  events.on('trip.offered', ({ trip, passenger, driverIds, expiresAt }) => {
    void delivery.durable(driverIds, 'new_trip_available', newTripAvailable(trip, passenger, expiresAt));
  });

  events.on('trip.offers_withdrawn', ({ tripId, driverIds, reason }) => {
    void delivery.durable(driverIds, 'trip_unavailable', { tripId, reason });
  });

  events.on('trip.accepted', ({ trip, driver, passenger, driverLocation, estimatedArrivalMin }) => {
    void delivery.durable([trip.passengerId], 'trip_accepted', tripAccepted(trip, driver, driverLocation, estimatedArrivalMin));
    void delivery.durable([driver.id], 'trip_assignment_confirmed', assignmentConfirmed(trip, passenger));
  });

  events.on('trip.driver_arrived', ({ trip }) => {
    void delivery.durable([trip.passengerId], 'driver_arrived', driverArrived(trip));
  });

  events.on('trip.started', ({ trip }) => {
    void delivery.durable([trip.passengerId], 'trip_started', tripStarted(trip));
    void delivery.durable(parties(trip), 'trip:started', { tripId: trip.id, data: roomData(trip) }, toRoom(trip));
  });

  // Payments (family C) will settle the trip from the same event; until then `paymentStatus` is `pending`.
  events.on('trip.completed', ({ trip }) => {
    void delivery.durable([trip.passengerId], 'trip_completed', tripCompleted(trip));
    void delivery.durable(parties(trip), 'trip:completed', { tripId: trip.id, data: roomData(trip) }, toRoom(trip));
  });

  events.on('trip.cancelled', ({ trip, cancelledBy, reason }) => {
    // The other party: the canceller already has the answer.
    const others = cancelledBy === 'passenger' ? [trip.driverId] : cancelledBy === 'driver' ? [trip.passengerId] : [trip.passengerId, trip.driverId];
    void delivery.durable(others.filter((id): id is string => id !== null), 'trip_cancelled', tripCancelled(trip));
    void delivery.durable(parties(trip), 'trip:cancelled', { tripId: trip.id, reason }, toRoom(trip));
  });

  events.on('trip.expired', ({ trip, reason }) => {
    void delivery.durable([trip.passengerId], 'trip_expired', { tripId: trip.id, status: 'expired', reason });
  });
}
