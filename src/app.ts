import type { AddressInfo } from 'node:net';
import type { Config } from './config/index.ts';
import type { ActiveTrips, DriverTracks } from './core/ride-ports.ts';
import type { Logger } from './core/logger.ts';
import { attachAlerts } from './families/alerts.ts';
import { attachChat } from './families/chat.ts';
import { attachBookings } from './families/bookings.ts';
import { attachConnection } from './families/connection.ts';
import { attachDashboard } from './families/dashboard.ts';
import { createContext, type AppDeps } from './families/context.ts';
import { attachDocs } from './families/docs.ts';
import { attachFleet } from './families/fleet.ts';
import { attachLiveEvents } from './families/live-events.ts';
import { attachLocations } from './families/locations.ts';
import { attachNotifications } from './families/notifications.ts';
import { attachPayments } from './families/payments.ts';
import { attachPublish } from './families/publish.ts';
import { attachStreams } from './families/streams.ts';
import { attachPresence } from './families/presence.ts';
import { createPositions } from './families/positions.ts';
import { attachTrips } from './families/trips.ts';
import { attachTransports } from './families/transports.ts';
import { attachUsers } from './families/users.ts';
import type { HttpApp } from './http/server.ts';
import type { AlertsService } from './modules/alerts/index.ts';
import type { FleetModule } from './modules/fleet/index.ts';
import type { LocationsModule } from './modules/locations/index.ts';
import type { NotificationsModule } from './modules/notifications/index.ts';
import type { PaymentsModule } from './modules/payments/index.ts';
import type { TripsService } from './modules/trips/index.ts';
import type { UsersService } from './modules/users/index.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Sessions } from './realtime/sessions.ts';
import type { SlowClients } from './realtime/slow-clients.ts';
import type { LivegateServer } from './realtime/types.ts';
import type { GeoIndex } from './state/geo-index.ts';
import type { Database } from './storage/index.ts';

export type { AppDeps } from './families/context.ts';

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly http: HttpApp;
  readonly io: LivegateServer;
  readonly db: Database;
  readonly metrics: Metrics;
  readonly sessions: Sessions;
  /** Sockets that are behind; positions skip them (tests call `sweep()`). */
  readonly slowClients: SlowClients;
  readonly users: UsersService;
  /** Tests call `trips.sweep()`; the location pipeline uses `activeTrips` and `geo`. */
  readonly trips: TripsService;
  readonly activeTrips: ActiveTrips;
  readonly geo: GeoIndex;
  readonly driverTracks: DriverTracks;
  readonly locations: LocationsModule;
  readonly fleet: FleetModule;
  /** `notifications.service.notifyUser` for tools; tests drive `notifications.push.sweep()`. */
  readonly notifications: NotificationsModule;
  readonly alerts: AlertsService;
  readonly payments: PaymentsModule;
  listen(): Promise<AddressInfo>;
  /** Tells clients `server:shutdown`, fails /readyz, waits for sockets to leave (up to the drain deadline), then closes. */
  shutdown(): Promise<void>;
  isDraining(): boolean;
}

/**
 * The composition root: the node's infrastructure, then every event family
 * in dependency order. A family attaches its handlers, deliveries, session
 * hooks, HTTP routes and start/stop entries itself (src/families/); only
 * `cli/start.ts` listens and handles signals.
 */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const ctx = await createContext(config, deps);

  attachConnection(ctx);
  attachStreams(ctx);
  attachUsers(ctx);
  const positions = createPositions(ctx);
  const trips = attachTrips(ctx, positions);
  const fleet = attachFleet(ctx, positions);
  const locations = await attachLocations(ctx, { positions, trips, fleet });
  const notifications = attachNotifications(ctx, { trips });
  const payments = attachPayments(ctx, { trips, notifications });
  const alerts = attachAlerts(ctx, { trips });
  attachChat(ctx, { trips, notifications });
  attachPresence(ctx);
  attachBookings(ctx);
  attachLiveEvents(ctx);
  attachPublish(ctx);
  attachTransports(ctx);
  attachDocs(ctx);
  attachDashboard(ctx, { positions, trips, locations, fleet, alerts });

  await ctx.open();

  let closing: Promise<void> | undefined;
  return {
    config, log: ctx.log, http: ctx.http, io: ctx.io, db: ctx.db, metrics: ctx.metrics, sessions: ctx.sessions, slowClients: ctx.slowClients, users: ctx.users,
    trips: trips.service, activeTrips: trips.activeTrips, geo: positions.geo, driverTracks: positions.tracks,
    locations, fleet, notifications, alerts: alerts.service, payments,
    isDraining: ctx.isDraining,
    async listen() {
      await ctx.http.listen({ port: config.http.port, host: config.http.host });
      return ctx.http.server.address() as AddressInfo;
    },
    shutdown() {
      closing ??= (async () => {
        ctx.setDraining();
        ctx.delivery.localToAll('server:shutdown', { message: 'Server is restarting; reconnect shortly', reconnect: true });
        const deadline = Date.now() + config.shutdownDrainMs;
        // SSE and /ws connections are Socket.IO sockets without an Engine.IO client: count sockets, not engine clients.
        const open = () => ctx.io.engine.clientsCount + ctx.io.of('/').sockets.size;
        while (open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await ctx.close();
      })();
      return closing;
    },
  };
}
