import type { AddressInfo } from 'node:net';
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
import { Delivery } from './realtime/delivery.ts';
import { EventRouter } from './realtime/event-router.ts';
import { createHandlers } from './realtime/handlers/index.ts';
import { connectError, createHandshakeAuth } from './realtime/handshake-auth.ts';
import { createIoServer } from './realtime/io-server.ts';
import { createRequestGuard } from './realtime/request-guard.ts';
import { Sessions } from './realtime/sessions.ts';
import type { LivegateServer } from './realtime/types.ts';
import { deliverUserEvents } from './realtime/user-delivery.ts';
import { MemoryConnectionRegistry, type ConnectionRegistry } from './state/connection-registry.ts';
import { memoryRateLimiters, unlimited, type RateLimiterFactory } from './state/rate-limiter.ts';
import { migrate, openDatabase, type Database } from './storage/index.ts';
import { RATE_CLASSES, type RateClass } from './protocol/index.ts';
import type { RateLimiter } from './state/rate-limiter.ts';

/** What tests and the process entry may inject; everything else is built from config. */
export interface AppDeps {
  clock?: Clock;
  log?: Logger;
  db?: Database;
  registry?: ConnectionRegistry;
  rateLimiters?: RateLimiterFactory;
}

export interface App {
  readonly config: Config;
  readonly log: Logger;
  readonly http: HttpApp;
  readonly io: LivegateServer;
  readonly db: Database;
  readonly metrics: Metrics;
  readonly sessions: Sessions;
  readonly users: UsersService;
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

  // Shared state behind interfaces (in-process by default).
  const registry = deps.registry ?? new MemoryConnectionRegistry();
  const limiterFactory = deps.rateLimiters ?? memoryRateLimiters;
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

  // Transports.
  const http = await createHttpServer({ log, metrics, trustProxy: config.http.trustProxy, bodyLimit: 1024 * 1024 });
  const { io, stash } = createIoServer(http.server, {
    corsOrigins: config.http.corsOrigins,
    maxPayloadBytes: config.limits.maxPayloadBytes,
    allowRequest: createRequestGuard({ corsOrigins: config.http.corsOrigins, trustProxy: config.http.trustProxy, connectLimiter, isDraining: () => draining, log }),
  });
  const delivery = new Delivery(io, metrics);
  const sessions = new Sessions({ io, registry, clock, metrics, log, nodeId: config.nodeId, maxConnectionsPerUser: config.limits.maxConnectionsPerUser });
  const identity = { verifier, users, clock };
  const router = new EventRouter({
    handlers: createHandlers({ ...identity, sessions, onProfileChanged: (id) => users.invalidate(id) }),
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

  // HTTP API.
  const guard = requireRole(verifier);
  registerHealthRoutes(http, { metrics, isDraining: () => draining, checks: { database: () => db.ping() }, guard });
  registerUsersRoutes(http, { users, guard });
  registerConnectionRoutes(http, { registry, delivery, guard });
  await http.ready();

  const heartbeat = config.heartbeatIntervalMs > 0
    ? setInterval(() => delivery.localToAll('heartbeat', { timestamp: clock.now() }), config.heartbeatIntervalMs).unref()
    : undefined;

  let closing: Promise<void> | undefined;
  const close = async () => {
    clearInterval(heartbeat);
    sessions.stop();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    await http.close();
    await registry.close();
    if (!deps.db) await db.close();
  };

  return {
    config, log, http, io, db, metrics, sessions, users,
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
