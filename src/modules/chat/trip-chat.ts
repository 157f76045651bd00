import type { Logger } from '../../core/logger.ts';
import type { RoomsService } from './rooms.service.ts';
import type { EventSource } from '../../core/domain-events.ts';

/** The slice of the trips module's events a trip chat needs (TripsFamily.events satisfies it). */
export interface TripChatEvents {
  'trip.accepted': { trip: { id: string }; driver: { id: string; name: string }; passenger: { id: string; name: string } };
  'trip.completed': { tripId: string; completedAt: string };
  'trip.cancelled': { trip: { id: string } };
}

/**
 * Every accepted trip gets a chat room for its passenger and driver (id =
 * trip id); it closes 24 h (CHAT_TRIP_CLOSE_AFTER_S) after the trip is
 * completed or cancelled. Runs on the node that published the trip event.
 */
export function openTripChats(events: EventSource<TripChatEvents>, rooms: RoomsService, now: () => string, log: Logger): void {
  events.on('trip.accepted', ({ trip, passenger, driver }) => {
    rooms.openTripRoom(trip.id, { id: passenger.id, name: passenger.name }, { id: driver.id, name: driver.name })
      .catch((err: unknown) => log.warn({ err, tripId: trip.id }, 'trip chat room not created'));
  });
  const close = (tripId: string, at: string) =>
    rooms.closeTripRoom(tripId, at).catch((err: unknown) => log.warn({ err, tripId }, 'trip chat room not closed'));
  events.on('trip.completed', ({ tripId, completedAt }) => void close(tripId, completedAt));
  events.on('trip.cancelled', ({ trip }) => void close(trip.id, now()));
}
