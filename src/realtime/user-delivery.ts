import type { DomainEvents } from '../core/domain-events.ts';
import type { Logger } from '../core/logger.ts';
import type { UsersEvents, UsersService } from '../modules/users/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Delivery } from './delivery.ts';
import type { SessionHook } from './sessions.ts';
import { rooms } from './types.ts';

/**
 * Turns users-module events into emits. A status change reaches the user
 * first; a suspension then disconnects every socket of the user, on every
 * node, in `/` and `/admin` (delivery.ts `disconnect`).
 */
export function deliverUserEvents(events: DomainEvents<UsersEvents>, delivery: Delivery): void {
  events.on('user.status_changed', ({ userId, status, reason, at }) => {
    const payload = { userId, status, reason, timestamp: at };
    delivery.to([rooms.user(userId), rooms.admins], 'user_status_changed', payload);
    if (status !== 'active') delivery.disconnect(rooms.user(userId));
  });
  events.on('user.profile_changed', ({ userId, changes, at }) => {
    delivery.to([rooms.user(userId), rooms.admins], 'profile_updated', { userId, changes, timestamp: at });
  });
}

/**
 * Session hook: checks the account again once the socket is in
 * `user:{id}`. A suspension that lands between the handshake's check and the
 * join disconnects a room the socket is not yet in; this catches it, with the
 * same `user_status_changed` first. The handshake has just cached the
 * profile and a status change drops the cache, so this is a cache hit unless
 * the status changed.
 */
export function recheckAccountAfterJoin(users: Pick<UsersService, 'get'>, metrics: Metrics, log: Logger): SessionHook {
  return async (socket) => {
    const { userId } = socket.data;
    try {
      const profile = await users.get(userId);
      if (!profile || profile.status === 'active' || !socket.connected) return;
      socket.emit('user_status_changed', { userId, status: profile.status, reason: profile.statusReason ?? '', timestamp: profile.updatedAt });
      metrics.eventSent('user_status_changed');
      socket.disconnect(true);
    } catch (err) {
      log.warn({ err, userId }, 'account re-check failed');
    }
  };
}
