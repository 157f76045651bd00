import type { Logger } from '../core/logger.ts';
import { newTripAvailable, type TripsEvents, type TripsService } from '../modules/trips/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { OncePerSocket } from './once-per-socket.ts';
import type { SessionHook } from './sessions.ts';
import { rooms, type LivegateServer } from './types.ts';
import type { NewTripAvailablePayload } from '../protocol/index.ts';

export interface OfferResendDeps {
  events: { on(type: 'trip.offer_resent', fn: (payload: TripsEvents['trip.offer_resent']) => void): void };
  sessions: { onAuthenticated(hook: SessionHook): void };
  io: LivegateServer;
  once: OncePerSocket;
  trips: Pick<TripsService, 'pendingOffersFor'>;
  metrics: Metrics;
  log: Logger;
}

/**
 * Offers lost on the way to a driver are shown again (family A,
 * `new_trip_available`, same tripId and expiresAt each time):
 *
 * - `trip.offer_resent` (every node's sweeper tick) goes to this node's own
 *   sockets of those drivers. Each node publishes it, so each shows it locally:
 *   one copy per socket, and no dependence on the Redis publish that was lost.
 * - A driver's socket that signs in is sent the driver's live, unanswered
 *   offers, read back from the database. An offer made while the socket
 *   signs in may also reach it through the driver's durable stream: each
 *   offer goes to a new connection once by these two paths (`once`).
 */
export function resendTripOffers(d: OfferResendDeps): void {
  d.once.register<NewTripAvailablePayload>('new_trip_available', (offer) => `${offer.tripId} ${offer.expiresAt}`);
  d.events.on('trip.offer_resent', ({ trip, passenger, driverIds, expiresAt }) => {
    d.io.local.to(driverIds.map(rooms.user)).emit('new_trip_available', newTripAvailable(trip, passenger, expiresAt));
    d.metrics.eventSent('new_trip_available');
  });
  d.sessions.onAuthenticated(replayPendingOffers(d));
}

function replayPendingOffers(d: OfferResendDeps): SessionHook {
  return async (socket) => {
    if (socket.data.role !== 'driver') return;
    try {
      for (const { trip, passenger, expiresAt } of await d.trips.pendingOffersFor(socket.data.userId)) {
        if (!socket.connected) return;
        const offer = newTripAvailable(trip, passenger, expiresAt);
        if (!d.once.admit(socket, 'new_trip_available', offer)) continue;
        socket.emit('new_trip_available', offer);
        d.metrics.eventSent('new_trip_available');
      }
    } catch (err) {
      d.log.warn({ err, userId: socket.data.userId }, 'pending offers not replayed');
    }
  };
}
