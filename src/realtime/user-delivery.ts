import type { DomainEvents } from '../core/domain-events.ts';
import type { UsersEvents } from '../modules/users/index.ts';
import type { Delivery } from './delivery.ts';
import { rooms } from './types.ts';

/**
 * Turns users-module events into emits. A status change reaches the user
 * first; a suspension then disconnects every socket of the user.
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
