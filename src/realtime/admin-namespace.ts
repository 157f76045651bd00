import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AckFn } from '../protocol/index.ts';
import type { EventRouter } from './event-router.ts';
import { connectError, createHandshakeAuth, type HandshakeStash, type IdentityDeps } from './handshake-auth.ts';
import type { HandshakeLimits } from './request-guard.ts';
import type { Sessions } from './sessions.ts';
import type { LivegateServer } from './types.ts';
import { recheckAccountAfterJoin } from './user-delivery.ts';

/** The dashboard's namespace (PROTOCOL.md section 1), admins only. */
export const ADMIN_NAMESPACE = '/admin';

/** What an `/admin` socket may send: keeping its session alive, and watching the dashboard feed (src/realtime/dashboard/). */
const ADMIN_EVENTS: ReadonlySet<string> = new Set(['auth:refresh', 'ping', 'dashboard:watch', 'dashboard:unwatch']);

export interface AdminNamespaceDeps extends IdentityDeps {
  stash: HandshakeStash;
  limits?: HandshakeLimits;
  sessions: Sessions;
  /** The one event router: `auth:refresh` and `ping` get the same checks and answers as on `/`. */
  router: Pick<EventRouter, 'attach'>;
  metrics: Metrics;
  log: Logger;
}

/**
 * `/admin`: the same handshake (token, account, per-address limits) as `/`
 * plus the admin role; then the shared session code cuts the socket off at
 * `exp` unless `auth:refresh` moves it, and a suspension disconnects it on
 * every node (it sits in its namespace's `user:{id}` room).
 */
export function attachAdminNamespace(io: LivegateServer, deps: AdminNamespaceDeps): void {
  const admin = io.of(ADMIN_NAMESPACE);
  admin.use(createHandshakeAuth({ ...deps, allowAnonymous: false }));
  admin.use((socket, next) => next(socket.data.role === 'admin' ? undefined : connectError('FORBIDDEN', 'Admins only')));
  // A suspension between the handshake's account check and the join would miss the socket.
  const recheck = recheckAccountAfterJoin(deps.users, deps.metrics, deps.log);
  admin.on('connection', (socket) => {
    socket.use((packet, next) => {
      if (ADMIN_EVENTS.has(String(packet[0]))) return next();
      // Other events belong on `/`; an ack is answered so the caller does not wait for nothing.
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as AckFn)({ success: false, error: new AppError('UNKNOWN_EVENT', `${String(packet[0]).slice(0, 64)} is not an ${ADMIN_NAMESPACE} event`).toWire() });
    });
    deps.router.attach(socket);
    deps.sessions.follow(socket);
    void recheck(socket);
  });
}
