import { inboxEntry, type NotificationsService } from '../../modules/notifications/index.ts';
import type { EventHandler } from '../event-router.ts';

export interface NotificationHandlerDeps {
  notifications: NotificationsService;
}

/** Family D (seed 001 counts and mark-read, and the inbox list). Every query is the sender's own inbox. */
export function notificationsHandlers(deps: NotificationHandlerDeps) {
  const requestCount: EventHandler<'notification:request-count'> = async ({ userId, emit }) => {
    const count = await deps.notifications.countUnread(userId);
    emit('notification:count', { count });
    return { count };
  };

  // The fresh count goes to every socket of the user (the service reports it), so other devices update too.
  const markRead: EventHandler<'notification:mark-read'> = ({ userId }, target) => deps.notifications.markRead(userId, target);

  const list: EventHandler<'notification:list'> = async ({ userId }, page) => {
    const { items, nextCursor, unreadCount } = await deps.notifications.list(userId, page);
    return { notifications: items.map(inboxEntry), nextCursor, unreadCount };
  };

  return {
    'notification:request-count': requestCount,
    'notification:mark-read': markRead,
    'notification:list': list,
  } as const;
}
