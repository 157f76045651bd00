import { DomainEvents } from '../core/domain-events.ts';
import { registerContactsRoutes } from '../http/routes/contacts.routes.ts';
import { createPresenceModule, type PresenceEvents, type PresenceService } from '../modules/presence/index.ts';
import { deliverPresenceEvents } from '../realtime/presence/delivery.ts';
import { presenceHandlers } from '../realtime/presence/handlers.ts';
import { reportPresenceTransitions } from '../realtime/presence/session.ts';
import { MemoryPresenceStore } from '../state/presence-store.ts';
import { RedisPresenceStore } from '../state/redis/redis-presence-store.ts';
import type { FamilyContext } from './context.ts';

/**
 * Family F, presence and contacts: `presence:update`, and `user:online` /
 * `user:offline` to a user's contacts as the connection registry decides the
 * user's first socket arrived or last one left (cluster-wide, including the
 * sockets of a node that died). Statuses live in shared state, never in the
 * database; contacts are stored.
 */
export function attachPresence(ctx: FamilyContext): PresenceService {
  const events = new DomainEvents<PresenceEvents>(ctx.log);
  const store = ctx.shared.redis ? new RedisPresenceStore(ctx.shared.redis) : new MemoryPresenceStore(ctx.clock);
  const { service } = createPresenceModule({
    db: ctx.db, store, events, clock: ctx.clock, log: ctx.log, nameOf: async (userId) => (await ctx.users.get(userId))?.name,
  });
  ctx.handle(presenceHandlers({ presence: service }));
  reportPresenceTransitions({ sessions: ctx.sessions, registry: ctx.registry, presence: service, clock: ctx.clock });
  deliverPresenceEvents(events, ctx.delivery);
  registerContactsRoutes(ctx.http, { presence: service, guard: ctx.guards.staff });
  // Reports in flight read contacts: they finish before the database closes.
  ctx.lifecycle.add({ name: 'presence', stop: () => service.drain() });
  return service;
}
