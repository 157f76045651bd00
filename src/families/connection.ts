import { registerConnectionRoutes } from '../http/routes/connections.routes.ts';
import { registerHealthRoutes } from '../http/routes/health.routes.ts';
import { connectionHandlers } from '../realtime/connection/handlers.ts';
import type { FamilyContext } from './context.ts';

/** The connection itself: ping, token refresh, late authentication, leaving rooms, heartbeats, health and the connections API. */
export function attachConnection(ctx: FamilyContext): void {
  const { config, delivery, clock, http, db } = ctx;
  ctx.handle(connectionHandlers({ ...ctx.identity, sessions: ctx.sessions }));
  registerHealthRoutes(http, { metrics: ctx.metrics, isDraining: ctx.isDraining, checks: { database: () => db.ping() }, optionalChecks: ctx.optionalChecks, guard: ctx.guards.staff, metricsPublic: config.http.metricsPublic });
  registerConnectionRoutes(http, { registry: ctx.registry, delivery, guard: ctx.guards.staff });

  let heartbeat: NodeJS.Timeout | undefined;
  ctx.lifecycle.add({
    name: 'heartbeat',
    // Each node beats to its own sockets.
    start: () => {
      if (config.heartbeatIntervalMs > 0) heartbeat = setInterval(() => delivery.localToAll('heartbeat', { timestamp: clock.now() }), config.heartbeatIntervalMs).unref();
    },
    stop: () => clearInterval(heartbeat),
  });
}
