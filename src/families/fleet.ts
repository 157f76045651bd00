import { DomainEvents, type EventSource } from '../core/domain-events.ts';
import { registerFleetRoutes } from '../http/routes/fleet.routes.ts';
import { registerGeofencesRoutes } from '../http/routes/geofences.routes.ts';
import { createFleetModule, type FleetEvents, type FleetModule } from '../modules/fleet/index.ts';
import { fleetHandlers } from '../realtime/fleet/handlers.ts';
import { deliverFleetEvents } from '../realtime/fleet/delivery.ts';
import type { FamilyContext } from './context.ts';
import { positionWritesObserver, type Positions } from './positions.ts';

/** Family B, fleet: vehicles and telemetry, subscriptions, low fuel, geofence crossings. */
export function attachFleet(ctx: FamilyContext, positions: Positions): FleetModule & { readonly events: EventSource<FleetEvents> } {
  const { config, log } = ctx;
  const events = new DomainEvents<FleetEvents>(log);
  const fleet = createFleetModule({ db: ctx.db, history: positions.history.writer, events, clock: ctx.clock, settings: config.locations.fleet, log, positionWrites: positionWritesObserver(ctx.metrics, 'vehicles') });
  ctx.handle(fleetHandlers({ fleet: fleet.service }));
  registerFleetRoutes(ctx.http, { fleet: fleet.service, guard: ctx.guards.staff });
  registerGeofencesRoutes(ctx.http, { geofences: fleet.geofences, guard: ctx.guards.staff });
  // Batched vehicle positions are written before the database closes; emits stop first.
  ctx.lifecycle.add({ name: 'fleet', start: () => fleet.start(), stop: () => fleet.stop() });
  const delivery = deliverFleetEvents(events, ctx.delivery, ctx.io, { minIntervalMs: config.locations.minIntervalMs, trackingIntervalMs: config.locations.fleet.trackingIntervalMs });
  ctx.lifecycle.add({ name: 'fleet-delivery', stop: () => delivery.stop() });
  return { ...fleet, events };
}
