import { assignmentConfirmed, driverArrived, tripCancelled, tripCompleted, tripStarted, type TripsService } from '../../modules/trips/index.ts';
import type { EventHandler, HandlerContext } from '../event-router.ts';
import { rooms } from '../types.ts';

export interface TripHandlerDeps {
  trips: TripsService;
}

const party = ({ userId, socket }: HandlerContext) => ({ userId, name: socket.data.name });

/**
 * Family A (seed 000 trip events, seed 001 `subscribe:trip`). The router has
 * already checked role, rate and payload; the service checks the sender's
 * relation to the trip against the database. Acks carry what the other
 * party is told, so the sender sees the same numbers.
 */
export function tripsHandlers(deps: TripHandlerDeps) {
  const { trips } = deps;

  const request: EventHandler<'trip_request'> = async (ctx, payload) => {
    const { trip, nearbyDriversCount } = await trips.request(party(ctx), payload);
    return { tripId: trip.id, status: 'searching_driver' as const, nearbyDriversCount };
  };

  const accept: EventHandler<'trip_accept'> = async (ctx, payload) => {
    const { trip, passenger } = await trips.accept(party(ctx), payload);
    return assignmentConfirmed(trip, passenger);
  };

  const reject: EventHandler<'trip_reject'> = async ({ userId }, { tripId, reason }) => {
    await trips.reject(userId, tripId, reason);
    return { tripId, rejected: true };
  };

  const arrived: EventHandler<'driver_arrived'> = async ({ userId }, { tripId }) => driverArrived(await trips.arrive(userId, tripId));
  const started: EventHandler<'trip_started'> = async ({ userId }, { tripId }) => tripStarted(await trips.start(userId, tripId));
  const completed: EventHandler<'trip_completed'> = async ({ userId }, payload) => tripCompleted(await trips.complete(userId, payload));

  const cancel: EventHandler<'trip_cancel'> = async ({ userId, role }, { tripId, reason }) => tripCancelled(await trips.cancel({ userId, role }, tripId, reason));

  /** Joins `trip:{id}` after the database says the sender belongs there. */
  const join = async ({ userId, role, socket }: HandlerContext, tripId: string) => {
    const trip = await trips.authorizeRoom(userId, role, tripId);
    const roomId = rooms.trip(trip.id);
    await socket.join(roomId);
    return { tripId: trip.id, roomId, status: trip.status };
  };
  const joinTrip: EventHandler<'join_trip'> = (ctx, { tripId }) => join(ctx, tripId);
  const subscribeTrip: EventHandler<'subscribe:trip'> = (ctx, tripId) => join(ctx, tripId);

  return {
    trip_request: request,
    trip_accept: accept,
    trip_reject: reject,
    driver_arrived: arrived,
    trip_started: started,
    trip_completed: completed,
    trip_cancel: cancel,
    join_trip: joinTrip,
    'subscribe:trip': subscribeTrip,
  } as const;
}
