import type { AddressInfo } from 'node:net';
import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createTokenVerifier } from './auth/token-verifier.ts';
import type { Config } from './config/index.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { DomainEvents } from './core/domain-events.ts';
import { createLogger, type Logger } from './core/logger.ts';
import { requireRole } from './http/auth.ts';
import { registerConnectionRoutes } from './http/routes/connections.routes.ts';
import { registerHealthRoutes } from './http/routes/health.routes.ts';
import { registerUsersRoutes } from './http/routes/users.routes.ts';
import { createHttpServer, type HttpApp } from './http/server.ts';
import { UsersRepository, UsersService, type UsersEvents } from './modules/users/index.ts';
import { Metrics } from './observability/metrics.ts';
import { profileInvalidation } from './realtime/profile-invalidation.ts';
import { DEFAULT_SLOW_CLIENT_LIMITS, SlowClients } from './realtime/slow-clients.ts';
import { Delivery } from './realtime/delivery.ts';
import { EventRouter } from './realtime/event-router.ts';
import { createHandlers } from './realtime/handlers/index.ts';
import { connectError, createHandshakeAuth } from './realtime/handshake-auth.ts';
import { createIoServer } from './realtime/io-server.ts';
import { createRequestGuard } from './realtime/request-guard.ts';
import { Sessions } from './realtime/sessions.ts';
import type { LivegateServer } from './realtime/types.ts';
import { deliverUserEvents } from './realtime/user-delivery.ts';
import type { ConnectionRegistry } from './state/connection-registry.ts';
import { unlimited, type RateLimiterFactory } from './state/rate-limiter.ts';
import { createSharedState } from './state/shared-state.ts';
import { migrate, openDatabase, type Database } from './storage/index.ts';
import { RATE_CLASSES, type RateClass } from './protocol/index.ts';
import type { RateLimiter } from './state/rate-limiter.ts';
// Family A, ride-hailing trips (issue 4).
import type { ActiveTrips, DriverTracks } from './core/ride-ports.ts';
import { registerTripsRoutes } from './http/routes/trips.routes.ts';
import { createTripsModule, type TripsEvents, type TripsService } from './modules/trips/index.ts';
import { deliverTripEvents } from './realtime/trip-delivery.ts';
import type { GeoIndex } from './state/geo-index.ts';
// Family B, locations and fleet (issue 5).
import { registerFleetRoutes } from './http/routes/fleet.routes.ts';
import { registerGeofencesRoutes } from './http/routes/geofences.routes.ts';
import { registerHistoryRoutes } from './http/routes/history.routes.ts';
import { createFleetModule, type FleetEvents, type FleetModule } from './modules/fleet/index.ts';
import { createLocationHistory, createLocationsModule, type LocationsEvents, type LocationsModule } from './modules/locations/index.ts';
import { deliverFleetEvents } from './realtime/fleet-delivery.ts';
import { deliverLocationEvents } from './realtime/location-delivery.ts';
import { GridGeoIndex } from './state/grid-geo-index.ts';
import { RedisPositionFeed } from './state/redis/position-feed.ts';
// Families D and E, notifications and emergencies (issue 7).
import { registerAlertsRoutes } from './http/routes/alerts.routes.ts';
import { registerNotificationsRoutes } from './http/routes/notifications.routes.ts';
import { createAlertsModule, tripPartiesFrom, type AlertsEvents, type AlertsService } from './modules/alerts/index.ts';
import { createNotificationsModule, notifyTripEvents, type NotificationsEvents, type NotificationsModule } from './modules/notifications/index.ts';
import { deliverAlertEvents, replayOpenAlertsToAdmins } from './realtime/alert-delivery.ts';
import { deliverNotificationEvents, sendUnreadCountOnConnect } from './realtime/notification-delivery.ts';
// Family C, payments and wallet (issue 6).
import { registerWalletRoutes } from './http/routes/wallet.routes.ts';
import { createPaymentsModule, notifyPaymentEvents, type PaymentsEvents, type PaymentsModule } from './modules/payments/index.ts';
import { deliverPaymentEvents } from './realtime/payment-delivery.ts';
import { recheckAccountAfterJoin } from './realtime/user-delivery.ts';

/** What tests and the process entry may inject; everything else is built from config. */
export interface AppDeps {
  clock?: Clock;
  log?: Logger;
  db?: Database;
  registry?: ConnectionRegistry;
  rateLimiters?: RateLimiterFactory;
  /** A `--workers` child: connections arrive from the primary (sticky); without Redis, rooms go through the cluster adapter. */
  clusterWorker?: boolean;
}

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
  // Family A, ride-hailing trips (issue 4): tests call `trips.sweep()`; the location pipeline uses `activeTrips` and `geo`.
  readonly trips: TripsService;
  readonly activeTrips: ActiveTrips;
  readonly geo: GeoIndex;
  // Family B, locations and fleet (issue 5): recorded tracks for trips; the modules for tests and tools.
  readonly driverTracks: DriverTracks;
  readonly locations: LocationsModule;
  readonly fleet: FleetModule;
  // Families D and E (issue 7): `notifications.service.notifyUser` for other modules; tests drive `notifications.push.sweep()`.
  readonly notifications: NotificationsModule;
  readonly alerts: AlertsService;
  // Family C (issue 6): settlement and wallets, for tests and tools.
  readonly payments: PaymentsModule;
  listen(): Promise<AddressInfo>;
  /** Tells clients `server:shutdown`, fails /readyz, waits for sockets to leave (up to the drain deadline), then closes. */
  shutdown(): Promise<void>;
  isDraining(): boolean;
}

type AppEvents = UsersEvents;

/** Wires every module by name. Only `cli/start.ts` listens and handles signals. */
export async function createApp(config: Config, deps: AppDeps = {}): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger(config.log.level, config.nodeId);
  const metrics = new Metrics();
  const db = deps.db ?? (await openDatabase(config.storage));
  await migrate(db);
  let draining = false;

  // Shared state behind interfaces: in-process, or Redis with REDIS_URL.
  const publishFailures = metrics.counter('livegate_adapter_publish_failures_total', 'Emits for other nodes that could not be published to Redis (lost for those nodes)');
  const shared = await createSharedState(config, log, { onPublishFailed: () => publishFailures.inc() });
  const registry = deps.registry ?? shared.registry;
  const limiterFactory = deps.rateLimiters ?? shared.rateLimiters;
  const limiters = Object.fromEntries(
    RATE_CLASSES.map((cls) => [cls, config.limits.rates[cls] ? limiterFactory.create(`rate:${cls}`, config.limits.rates[cls]) : unlimited]),
  ) as Record<RateClass, RateLimiter>;
  const connectLimiter = config.limits.connectAttemptsPerIpPerMin > 0
    ? limiterFactory.create('connect', { points: config.limits.connectAttemptsPerIpPerMin, durationS: 60 })
    : unlimited;

  // Domain.
  const events = new DomainEvents<AppEvents>(log);
  const users = new UsersService(new UsersRepository(db), events, clock, config.profileCacheTtlMs);
  const verifier = createTokenVerifier(config.auth, clock);
  // Family A, ride-hailing trips (issue 4), with issue 5's grid index (fed by `driver_location_update`
  // and, with REDIS_URL, by the other nodes) and the recorded tracks that check reported distances.
  const geoIndex: GeoIndex = new GridGeoIndex({ cellSizeM: config.locations.geoCellSizeM });
  const locationHistory = createLocationHistory({
    db, settings: config.locations.history, log,
    onDrop: (n) => metrics.counter('livegate_location_history_dropped_total', 'Position fixes not recorded because the history buffer was full').inc(n),
  });
  const driverTracks: DriverTracks = locationHistory.tracks;
  const tripEvents = new DomainEvents<TripsEvents>(log);
  const trips = createTripsModule({ db, geo: geoIndex, profiles: users, events: tripEvents, clock, settings: config.trips, tracks: driverTracks, log });
  // Family B, locations and fleet (issue 5): fleet first (the pipeline asks it for a driver's vehicle),
  // then the pipeline; a driver's accepted fix moves their vehicle and is checked against geofences.
  const locationEvents = new DomainEvents<LocationsEvents>(log);
  const fleetEvents = new DomainEvents<FleetEvents>(log);
  const fleet = createFleetModule({ db, history: locationHistory.writer, events: fleetEvents, clock, settings: config.locations.fleet, log });
  const positionFeed = config.redisUrl
    ? await RedisPositionFeed.start({ url: config.redisUrl, nodeId: config.nodeId, geo: geoIndex, batchMs: config.locations.feedBatchMs, freshMs: config.locations.driverStaleAfterMs, log, now: () => clock.now() })
    : undefined;
  const locations = createLocationsModule({
    history: locationHistory, geo: geoIndex, trips: trips.activeTrips, vehicles: fleet.service, profiles: users, feed: positionFeed,
    events: locationEvents, clock, settings: config.locations, log,
  });
  locationEvents.on('location.driver_moved', ({ driverId, vehicleId, fix }) => {
    fleet.service.onDriverMoved(driverId, vehicleId, fix).catch((err: unknown) => log.warn({ err, driverId }, 'vehicle or geofence update failed'));
  });
  // Families D and E, notifications and emergencies (issue 7): inboxes and the push relay (offline = no
  // socket anywhere in the cluster), trip milestones as notifications; alerts check trips through its API.
  const notificationEvents = new DomainEvents<NotificationsEvents>(log);
  const notifications = createNotificationsModule({
    db, events: notificationEvents, clock, settings: config.notifications, isOnline: (userId) => registry.isOnline(userId), metrics, log,
  });
  notifyTripEvents(tripEvents, notifications.service, log);
  // Family C, payments and wallet (issue 6): a completed trip is charged with its method at once (on the
  // node that completed it); outcomes also go to the passenger's inbox.
  const paymentEvents = new DomainEvents<PaymentsEvents>(log);
  const payments = createPaymentsModule({ db, trips: trips.service, events: paymentEvents, clock, settings: config.payments, log });
  tripEvents.on('trip.completed', (e) => void payments.service.onTripCompleted(e));
  notifyPaymentEvents(paymentEvents, notifications.service, log);
  const alertEvents = new DomainEvents<AlertsEvents>(log);
  const alerts = createAlertsModule({ db, events: alertEvents, clock, trips: tripPartiesFrom(trips.service), settings: config.notifications.alerts, log });

  // Transports.
  const http = await createHttpServer({ log, metrics, trustProxy: config.http.trustProxy, bodyLimit: 1024 * 1024 });
  const { io, stash } = createIoServer(http.server, {
    corsOrigins: config.http.corsOrigins,
    maxPayloadBytes: config.limits.maxPayloadBytes,
    allowRequest: createRequestGuard({ corsOrigins: config.http.corsOrigins, trustProxy: config.http.trustProxy, connectLimiter, isDraining: () => draining, log }),
  });
  if (shared.adapter) io.adapter(shared.adapter.adapter);
  else if (deps.clusterWorker) io.adapter(createClusterAdapter());
  const delivery = new Delivery(io, metrics);
  // Positions skip sockets that are behind (slow-clients.ts).
  const slowClients = new SlowClients(io, DEFAULT_SLOW_CLIENT_LIMITS, metrics.counter('livegate_slow_client_episodes_total', 'Times a socket fell behind and positions began to skip it'));
  const sessions = new Sessions({ io, registry, clock, metrics, log, nodeId: config.nodeId, maxConnectionsPerUser: config.limits.maxConnectionsPerUser });
  const identity = { verifier, users, clock };
  // Profile caches on every node drop a changed profile: the users cache and the location pipeline's vehicle type.
  const invalidateProfile = profileInvalidation(io, {
    crossNode: Boolean(shared.adapter || deps.clusterWorker),
    drop: (userId) => {
      users.invalidate(userId);
      locations.service.profileChanged(userId);
    },
  });
  const router = new EventRouter({
    handlers: createHandlers({ ...identity, sessions, onProfileChanged: invalidateProfile, trips: trips.service, locations: locations.service, fleet: fleet.service,
      notifications: notifications.service, alerts: alerts.service, // Families D and E (issue 7).
      payments: payments.service }), // Family C (issue 6).
    limiters,
    clock,
    metrics,
    log,
  });

  io.use(createHandshakeAuth({ ...identity, stash, allowAnonymous: config.auth.allowAnonymous, log }));
  io.on('connection', (socket) => {
    router.attach(socket);
    sessions.open(socket);
  });
  const admin = io.of('/admin');
  admin.use(createHandshakeAuth({ ...identity, stash, allowAnonymous: false, log }));
  admin.use((socket, next) => next(socket.data.role === 'admin' ? undefined : connectError('FORBIDDEN', 'Admins only')));

  deliverUserEvents(events, delivery);
  events.on('user.status_changed', ({ userId }) => invalidateProfile(userId));
  events.on('user.profile_changed', ({ userId }) => invalidateProfile(userId));
  deliverTripEvents(tripEvents, delivery); // Family A (issue 4).
  // Family B (issue 5): positions volatile and coalesced; fleet events to vehicle rooms, `fleet`, `admins`.
  const locationDelivery = deliverLocationEvents(locationEvents, delivery, io, { minIntervalMs: config.locations.minIntervalMs, crossNode: Boolean(shared.adapter || deps.clusterWorker) });
  // …and every node drops its cached answer for a driver whose trip changed anywhere.
  io.on('locations:trip-changed', (driverId) => locations.service.tripChanged(driverId));
  tripEvents.on('trip.status_changed', ({ trip }) => {
    if (!trip.driverId) return;
    locations.service.tripChanged(trip.driverId);
    if (shared.adapter || deps.clusterWorker) io.serverSideEmit('locations:trip-changed', trip.driverId);
  });
  const fleetDelivery = deliverFleetEvents(fleetEvents, delivery, io, { minIntervalMs: config.locations.minIntervalMs, trackingIntervalMs: config.locations.fleet.trackingIntervalMs });
  // Families D and E (issue 7): notifications to user rooms and everyone; alerts to admins, fleet and the
  // trip's other party; on connect, the unread count and (admins) every unacknowledged alert.
  const notificationDelivery = deliverNotificationEvents(notificationEvents, delivery, { batchWindowMs: config.notifications.batchWindowMs, now: () => clock.now() });
  deliverAlertEvents(alertEvents, delivery);
  deliverPaymentEvents(paymentEvents, delivery); // Family C (issue 6): to the passenger's and driver's user rooms.
  // User events gap found in issue 7: a suspension between the handshake's account check and the join.
  sessions.onAuthenticated(recheckAccountAfterJoin(users, metrics, log));
  sessions.onAuthenticated(sendUnreadCountOnConnect(notifications.service, metrics, log));
  sessions.onAuthenticated(replayOpenAlertsToAdmins(alerts.service, metrics, log));

  // HTTP API.
  const guard = requireRole(verifier);
  registerHealthRoutes(http, { metrics, isDraining: () => draining, checks: { database: () => db.ping() }, optionalChecks: shared.checks, guard });
  registerUsersRoutes(http, { users, guard });
  registerConnectionRoutes(http, { registry, delivery, guard });
  registerTripsRoutes(http, { trips: trips.service, guard }); // Family A (issue 4).
  // Family B (issue 5): vehicles and telemetry, geofences, position history.
  registerFleetRoutes(http, { fleet: fleet.service, guard });
  registerGeofencesRoutes(http, { geofences: fleet.geofences, guard });
  registerHistoryRoutes(http, { history: locationHistory, fleet: fleet.service, now: () => clock.now(), guard });
  // Families D and E (issue 7).
  registerNotificationsRoutes(http, { notifications: notifications.service, guard });
  registerAlertsRoutes(http, { alerts: alerts.service, guard });
  // Family C (issue 6): top-ups by backends; a wallet is readable by its owner and staff.
  registerWalletRoutes(http, { wallet: payments.wallet, guard, anyone: requireRole(verifier, ['admin', 'service', 'passenger', 'driver', 'user']) });
  await http.ready();
  trips.sweeper.start(); // Family A (issue 4): offer waves and search deadlines.
  locations.start(); // Family B (issue 5): history flushes, sweep of silent drivers.
  fleet.start(); // Family B (issue 5): batched vehicle positions.
  notifications.start(); // Families D and E (issue 7): push retries and abandoned claims.

  const heartbeat = config.heartbeatIntervalMs > 0
    ? setInterval(() => delivery.localToAll('heartbeat', { timestamp: clock.now() }), config.heartbeatIntervalMs).unref()
    : undefined;

  let closing: Promise<void> | undefined;
  const close = async () => {
    clearInterval(heartbeat);
    await trips.sweeper.stop(); // Family A (issue 4): before the database closes.
    sessions.stop();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await http.close();
    // Family B (issue 5): stop emitting, then write buffered history and positions before the database closes.
    locationDelivery.stop();
    slowClients.stop();
    fleetDelivery.stop();
    await positionFeed?.stop();
    await locations.stop();
    await fleet.stop();
    // Families D and E (issue 7): flush held batches, finish push calls in flight before the database closes.
    notificationDelivery.stop();
    await notifications.stop();
    await registry.close();
    await shared.close();
    if (!deps.db) await db.close();
  };

  return {
    config, log, http, io, db, metrics, sessions, slowClients, users,
    trips: trips.service, activeTrips: trips.activeTrips, geo: geoIndex, // Family A (issue 4).
    driverTracks, locations, fleet, // Family B (issue 5).
    notifications, alerts: alerts.service, // Families D and E (issue 7).
    payments, // Family C (issue 6).
    isDraining: () => draining,
    async listen() {
      await http.listen({ port: config.http.port, host: config.http.host });
      return http.server.address() as AddressInfo;
    },
    shutdown() {
      closing ??= (async () => {
        draining = true;
        delivery.localToAll('server:shutdown', { message: 'Server is restarting; reconnect shortly', reconnect: true });
        const deadline = Date.now() + config.shutdownDrainMs;
        while (io.engine.clientsCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await close();
      })();
      return closing;
    },
  };
}
