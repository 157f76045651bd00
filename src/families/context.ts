import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createTokenVerifier } from '../auth/token-verifier.ts';
import type { Config } from '../config/index.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { DomainEvents } from '../core/domain-events.ts';
import { Lifecycle } from '../core/lifecycle.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { requireRole } from '../http/auth.ts';
import { createHttpServer, type HttpApp } from '../http/server.ts';
import { UsersRepository, UsersService, type UsersEvents } from '../modules/users/index.ts';
import { Metrics } from '../observability/metrics.ts';
import { INBOUND, RATE_CLASSES, type RateClass } from '../protocol/index.ts';
import { Delivery } from '../realtime/delivery.ts';
import { EventRouter, type HandlerMap } from '../realtime/event-router.ts';
import { attachAdminNamespace } from '../realtime/admin-namespace.ts';
import { createHandshakeAuth, type IdentityDeps } from '../realtime/handshake-auth.ts';
import { createIoServer } from '../realtime/io-server.ts';
import { profileInvalidation } from '../realtime/profile-invalidation.ts';
import { createRedisAdapter } from '../realtime/redis-adapter.ts';
import { createHandshakeLimits, createRequestGuard } from '../realtime/request-guard.ts';
import { Sessions, type SessionHook } from '../realtime/sessions.ts';
import { DEFAULT_SLOW_CLIENT_LIMITS, SlowClients } from '../realtime/slow-clients.ts';
import type { LivegateServer } from '../realtime/types.ts';
import type { ConnectionRegistry } from '../state/connection-registry.ts';
import { unlimited, type RateLimiter, type RateLimiterFactory } from '../state/rate-limiter.ts';
import { createSharedState, type SharedState } from '../state/shared-state.ts';
import { migrate, openDatabase, type Database } from '../storage/index.ts';

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

type Guard = ReturnType<typeof requireRole>;

/**
 * What every family attaches to: the node's infrastructure, the identity of
 * its users, and the registration points (inbound handlers, session hooks,
 * HTTP routes on `http`, the start/stop list). A family's `attach(ctx, …)`
 * uses only this and the public surface of the families it names.
 */
export interface FamilyContext {
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly db: Database;
  readonly shared: SharedState;
  /** Dependencies whose loss degrades the node but leaves it serving its own sockets (Redis), for /api/health. */
  readonly optionalChecks: Record<string, () => Promise<boolean>>;
  readonly registry: ConnectionRegistry;
  readonly http: HttpApp;
  readonly io: LivegateServer;
  readonly delivery: Delivery;
  readonly sessions: Sessions;
  readonly slowClients: SlowClients;
  /** True when emits and server-side events cross nodes (Redis, or the `--workers` cluster adapter). */
  readonly crossNode: boolean;
  /** Accounts and profiles: read at every handshake and HTTP call. */
  readonly users: UsersService;
  readonly userEvents: DomainEvents<UsersEvents>;
  readonly identity: IdentityDeps;
  /** HTTP preHandlers: staff (admin, service), and any signed-in role (a family checks ownership itself). */
  readonly guards: { readonly staff: Guard; readonly anyone: Guard };
  /** A changed profile, on every node: subscribe to drop a cache; call `changed` after a write. */
  readonly profiles: { changed(userId: string): void; onChanged(fn: (userId: string) => void): void };
  readonly lifecycle: Lifecycle;
  /** True once shutdown began: /readyz fails, new handshakes are refused. */
  isDraining(): boolean;
  /** Registers a family's inbound handlers; every inbound event must have one when the node opens. */
  handle(handlers: Partial<HandlerMap>): void;
  onAuthenticated(hook: SessionHook): void;
}

/** A context plus what only the composition root does with it. */
export interface NodeContext extends FamilyContext {
  /** Builds the router from the registered handlers, readies HTTP, starts the lifecycle list. */
  open(): Promise<void>;
  /** Stops input (sockets, HTTP), then the lifecycle list in reverse, then shared state and storage. */
  close(): Promise<void>;
  setDraining(): void;
}

/** The node's infrastructure, built from config: storage, shared state, HTTP, Socket.IO, sessions. */
export async function createContext(config: Config, deps: AppDeps = {}): Promise<NodeContext> {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger(config.log.level, config.nodeId);
  const metrics = new Metrics();
  const db = deps.db ?? (await openDatabase(config.storage));
  await migrate(db);
  let draining = false;

  // Shared state behind interfaces: in-process, or Redis with REDIS_URL.
  const publishFailures = metrics.counter('livegate_adapter_publish_failures_total', 'Emits for other nodes that could not be published to Redis (lost for those nodes)');
  const shared = await createSharedState({ redisUrl: config.redisUrl, nodeId: config.nodeId, ...config.redis }, log);
  const adapter = config.redisUrl ? await createRedisAdapter(config.redisUrl, config.redis.adapter, log, () => publishFailures.inc()) : undefined;
  const registry = deps.registry ?? shared.registry;
  const limiterFactory = deps.rateLimiters ?? shared.rateLimiters;
  const limiters = Object.fromEntries(
    RATE_CLASSES.map((cls) => [cls, config.limits.rates[cls] ? limiterFactory.create(`rate:${cls}`, config.limits.rates[cls]) : unlimited]),
  ) as Record<RateClass, RateLimiter>;
  const connectLimiter = config.limits.connectAttemptsPerIpPerMin > 0
    ? limiterFactory.create('connect', { points: config.limits.connectAttemptsPerIpPerMin, durationS: 60 })
    : unlimited;
  const authFailureLimiter = config.limits.authFailuresPerIpPerMin > 0
    ? limiterFactory.create('auth-failures', { points: config.limits.authFailuresPerIpPerMin, durationS: 60 })
    : unlimited;

  const userEvents = new DomainEvents<UsersEvents>(log);
  const users = new UsersService(new UsersRepository(db), userEvents, clock, config.profileCacheTtlMs);
  const identity: IdentityDeps = { verifier: createTokenVerifier(config.auth, clock), users, clock };

  // Transports.
  const http = await createHttpServer({ log, metrics, trustProxy: config.http.trustProxy, bodyLimit: 1024 * 1024 });
  const { io, stash } = createIoServer(http.server, {
    corsOrigins: config.http.corsOrigins,
    maxPayloadBytes: config.limits.maxPayloadBytes,
    trustProxy: config.http.trustProxy,
    allowRequest: createRequestGuard({ corsOrigins: config.http.corsOrigins, trustProxy: config.http.trustProxy, isDraining: () => draining, log }),
  });
  if (adapter) io.adapter(adapter.adapter);
  else if (deps.clusterWorker) io.adapter(createClusterAdapter());
  const crossNode = Boolean(adapter || deps.clusterWorker);
  const delivery = new Delivery(io, metrics);
  // Positions skip sockets that are behind (slow-clients.ts).
  const slowClients = new SlowClients(io, DEFAULT_SLOW_CLIENT_LIMITS, metrics.counter('livegate_slow_client_episodes_total', 'Times a socket fell behind and positions began to skip it'));
  const sessions = new Sessions({ io, registry, clock, metrics, log, nodeId: config.nodeId, maxConnectionsPerUser: config.limits.maxConnectionsPerUser });

  // Profile caches on every node drop a changed profile.
  const profileListeners: Array<(userId: string) => void> = [(userId) => users.invalidate(userId)];
  const changed = profileInvalidation(io, { crossNode, drop: (userId) => profileListeners.forEach((fn) => fn(userId)) });

  const lifecycle = new Lifecycle(log);
  lifecycle.add({
    name: 'storage',
    stop: async () => {
      await registry.close();
      await adapter?.close();
      await shared.close();
      if (!deps.db) await db.close();
    },
  });
  lifecycle.add({ name: 'sessions', stop: () => { sessions.stop(); slowClients.stop(); } });

  const handlers: Partial<HandlerMap> = {};
  const limits = createHandshakeLimits({ connectAttempts: connectLimiter, authFailures: authFailureLimiter, now: () => clock.now(), log });
  io.use(createHandshakeAuth({ ...identity, stash, allowAnonymous: config.auth.allowAnonymous, limits, log }));

  return {
    config, log, clock, metrics, db, shared, registry,
    optionalChecks: adapter ? { redis: async () => (await shared.checks.redis?.()) === true && adapter.isReady() } : shared.checks, http, io, delivery, sessions, slowClients, crossNode, users, userEvents, identity, lifecycle,
    guards: { staff: requireRole(identity), anyone: requireRole(identity, ['admin', 'service', 'passenger', 'driver', 'user']) },
    profiles: { changed, onChanged: (fn) => void profileListeners.push(fn) },
    handle(more) {
      for (const event of Object.keys(more)) if (Object.hasOwn(handlers, event)) throw new Error(`Two handlers for ${event}`);
      Object.assign(handlers, more);
    },
    onAuthenticated: (hook) => sessions.onAuthenticated(hook),
    async open() {
      const router = new EventRouter({ handlers: completeHandlers(handlers), limiters, clock, metrics, log });
      io.on('connection', (socket) => {
        router.attach(socket);
        sessions.open(socket);
      });
      attachAdminNamespace(io, { ...identity, stash, limits, sessions, router, metrics, log });
      await http.ready();
      // Stopped first: no new input while the families flush.
      lifecycle.add({
        name: 'transports',
        stop: async () => {
          await new Promise<void>((resolve) => io.close(() => resolve()));
          await http.close();
        },
      });
      await lifecycle.start();
    },
    close: () => lifecycle.stop(),
    isDraining: () => draining,
    setDraining: () => void (draining = true),
  };
}

/** The router needs a handler for every inbound event of the protocol. */
function completeHandlers(handlers: Partial<HandlerMap>): HandlerMap {
  const missing = Object.keys(INBOUND).filter((event) => !Object.hasOwn(handlers, event));
  if (missing.length) throw new Error(`No handler for inbound events: ${missing.join(', ')}`);
  return handlers as HandlerMap;
}
