import { DomainEvents, type EventSource } from '../core/domain-events.ts';
import { registerHistoryRoutes } from '../http/routes/history.routes.ts';
import type { FleetModule } from '../modules/fleet/index.ts';
import { createLocationsModule, type LocationsEvents, type LocationsModule } from '../modules/locations/index.ts';
import { locationsHandlers } from '../realtime/locations/handlers.ts';
import { deliverLocationEvents } from '../realtime/locations/delivery.ts';
import { RedisPositionFeed } from '../state/redis/position-feed.ts';
import type { FamilyContext } from './context.ts';
import type { Positions } from './positions.ts';
import type { TripsFamily } from './trips.ts';

/**
 * Family B, driver positions: `driver_location_update` checked and indexed,
 * relayed to the passenger of the driver's trip, recorded; nearby drivers;
 * with REDIS_URL, positions shared with every node's dispatch.
 */
export async function attachLocations(ctx: FamilyContext, deps: { positions: Positions; trips: TripsFamily; fleet: FleetModule }): Promise<LocationsModule & { readonly events: EventSource<LocationsEvents> }> {
  const { config, clock, log, io } = ctx;
  const { positions, trips, fleet } = deps;
  const feed = config.redisUrl
    ? await RedisPositionFeed.start({ url: config.redisUrl, nodeId: config.nodeId, geo: positions.geo, batchMs: config.locations.feedBatchMs, freshMs: config.locations.driverStaleAfterMs, log, now: () => clock.now() })
    : undefined;
  const events = new DomainEvents<LocationsEvents>(log);
  const locations = createLocationsModule({
    history: positions.history, geo: positions.geo, trips: trips.activeTrips, vehicles: fleet.service, profiles: ctx.users, feed, events, clock, settings: config.locations, log,
  });
  ctx.handle(locationsHandlers({ locations: locations.service }));
  registerHistoryRoutes(ctx.http, { history: positions.history, fleet: fleet.service, now: () => clock.now(), guard: ctx.guards.staff });

  // A driver's accepted fix moves their vehicle and is checked against geofences.
  events.on('location.driver_moved', ({ driverId, vehicleId, fix }) => {
    fleet.service.onDriverMoved(driverId, vehicleId, fix).catch((err: unknown) => log.warn({ err, driverId }, 'vehicle or geofence update failed'));
  });
  // Every node drops its cached answer for a driver whose trip or profile changed anywhere.
  io.on('locations:trip-changed', (driverId) => locations.service.tripChanged(driverId));
  trips.events.on('trip.status_changed', ({ trip }) => {
    if (!trip.driverId) return;
    locations.service.tripChanged(trip.driverId);
    if (ctx.crossNode) io.serverSideEmit('locations:trip-changed', trip.driverId);
  });
  ctx.profiles.onChanged((userId) => locations.service.profileChanged(userId));

  // Stops in reverse: emits, then the feed, then history flushes before the database closes.
  ctx.lifecycle.add({ name: 'locations', start: () => locations.start(), stop: () => locations.stop() });
  if (feed) ctx.lifecycle.add({ name: 'position-feed', stop: () => feed.stop() });
  const delivery = deliverLocationEvents(events, ctx.delivery, io, { minIntervalMs: config.locations.minIntervalMs, crossNode: ctx.crossNode });
  ctx.lifecycle.add({ name: 'location-delivery', stop: () => delivery.stop() });
  return { ...locations, events };
}
