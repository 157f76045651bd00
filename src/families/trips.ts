import { DomainEvents, type EventSource } from '../core/domain-events.ts';
import { registerTripsRoutes } from '../http/routes/trips.routes.ts';
import { createTripsModule, type TripsEvents, type TripsModule } from '../modules/trips/index.ts';
import { tripsHandlers } from '../realtime/trips/handlers.ts';
import { deliverTripEvents } from '../realtime/trips/delivery.ts';
import { resendTripOffers } from '../realtime/trip-offer-resend.ts';
import type { FamilyContext } from './context.ts';
import type { Positions } from './positions.ts';

export interface TripsFamily extends TripsModule {
  readonly events: EventSource<TripsEvents>;
}

/** Family A, ride-hailing trips: requests, dispatch waves over the nearby index, offers, acceptance, the trip lifecycle. */
export function attachTrips(ctx: FamilyContext, positions: Positions): TripsFamily {
  const { config, log } = ctx;
  const events = new DomainEvents<TripsEvents>(log);
  const trips = createTripsModule({ db: ctx.db, geo: positions.geo, profiles: ctx.users, events, clock: ctx.clock, settings: config.trips, tracks: positions.tracks, log });
  ctx.handle(tripsHandlers({ trips: trips.service }));
  deliverTripEvents(events, ctx.delivery);
  resendTripOffers({ events, sessions: ctx.sessions, io: ctx.io, once: ctx.delivery.once, trips: trips.service, metrics: ctx.metrics, log });
  registerTripsRoutes(ctx.http, { trips: trips.service, guard: ctx.guards.staff });
  ctx.lifecycle.add({ name: 'trip-sweeper', start: () => trips.sweeper.start(), stop: () => trips.sweeper.stop() });
  return { ...trips, events };
}
