import type { EventSource } from '../core/domain-events.ts';
import { registerDashboardRoutes } from '../http/routes/dashboard.routes.ts';
import { alertView, type AlertsEvents, type AlertsService } from '../modules/alerts/index.ts';
import type { FleetEvents, FleetModule } from '../modules/fleet/index.ts';
import type { LocationsEvents } from '../modules/locations/index.ts';
import { ADMIN_NAMESPACE } from '../realtime/admin-namespace.ts';
import { dashboardTrip, TripBoard } from '../realtime/dashboard/board.ts';
import { DASHBOARD_ROOM, DashboardFeed } from '../realtime/dashboard/feed.ts';
import { dashboardHandlers } from '../realtime/dashboard/handlers.ts';
import type { FamilyContext } from './context.ts';
import type { Positions } from './positions.ts';
import type { TripsFamily } from './trips.ts';

export interface DashboardSources {
  positions: Positions;
  trips: TripsFamily;
  locations: { readonly events: EventSource<LocationsEvents> };
  fleet: FleetModule & { readonly events: EventSource<FleetEvents> };
  alerts: { service: AlertsService; events: EventSource<AlertsEvents> };
}

/**
 * The operator dashboard: the page at `GET /dashboard` and its feed on
 * `/admin` — coalesced position batches, trips and alerts for the sockets
 * that sent `dashboard:watch`.
 */
export function attachDashboard(ctx: FamilyContext, src: DashboardSources): void {
  const { config, clock, io, metrics } = ctx;
  const lowFuel = config.locations.fleet.lowFuelPercent;
  const vehicleState = (v: { status: 'active' | 'idle' | 'maintenance' | 'inactive' | 'low_fuel'; fuelLevel: number | null }) =>
    v.fuelLevel !== null && v.fuelLevel < lowFuel ? 'low_fuel' as const : v.status;
  const feed = new DashboardFeed({
    io, metrics, batchMs: config.dashboard.batchMs, crossNode: ctx.crossNode, staleAfterMs: config.locations.driverStaleAfterMs,
    isAvailable: (driverId) => src.positions.geo.get(driverId)?.isAvailable, now: () => clock.now(),
  });
  const board = new TripBoard();

  src.locations.events.on('location.driver_moved', ({ driverId, fix }) => feed.driverMoved(driverId, fix));
  src.fleet.events.on('vehicle.moved', ({ vehicleId, position }) => feed.vehicleMoved(vehicleId, position));
  src.fleet.events.on('vehicle.updated', ({ vehicle }) => feed.vehicleState(vehicle.id, vehicleState(vehicle)));
  src.fleet.events.on('vehicle.low_fuel', ({ vehicleId }) => feed.vehicleState(vehicleId, 'low_fuel'));
  ctx.sessions.onPresenceChange(({ userId, online, socket }) => {
    if (!online && socket.data.role === 'driver') feed.driverOffline(userId);
  });

  // Trips and alerts are rare next to positions: each goes to the dashboard room as it happens.
  const toDashboards = io.of(ADMIN_NAMESPACE);
  src.trips.events.on('trip.status_changed', ({ trip }) => {
    const view = dashboardTrip(trip);
    board.update(view);
    if (trip.driverId) feed.driverOnTrip(trip.driverId, !TripBoard.isFinished(trip.status) && trip.status !== 'searching_driver');
    toDashboards.to(DASHBOARD_ROOM).emit('dashboard:trip', view);
    metrics.eventSent('dashboard:trip');
  });
  const sendAlert = ({ alert }: { alert: Parameters<typeof alertView>[0] }) => {
    toDashboards.to(DASHBOARD_ROOM).emit('dashboard:alert', alertView(alert));
    metrics.eventSent('dashboard:alert');
  };
  src.alerts.events.on('alert.raised', sendAlert);
  src.alerts.events.on('alert.acknowledged', sendAlert);

  ctx.handle(dashboardHandlers({ feed, board, fleet: src.fleet.service, alerts: src.alerts.service, vehicleState, batchMs: config.dashboard.batchMs, now: () => clock.now() }));
  registerDashboardRoutes(ctx.http, { tileUrl: config.dashboard.tileUrl, tileAttribution: config.dashboard.tileAttribution });
  ctx.lifecycle.add({ name: 'dashboard-feed', start: () => feed.start(), stop: () => feed.stop() });
}
