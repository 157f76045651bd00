import type { AnnouncementLevel, InboxEntry, NotificationNewPayload, NotificationPayload } from '../../protocol/families/notifications.ts';
import type { InboxItem, Notification } from './notification-types.ts';

/** Seed 000's `notification` payload: the one mapping from the stored notification to the wire. */
export function notificationPayload(n: Notification): NotificationPayload {
  return { id: n.id, type: n.type, title: n.title, message: n.message, data: n.data, actions: n.actions, timestamp: n.createdAt, expiresAt: n.expiresAt };
}

/** Seed 001's `notification:new`: the same notification with its id also as `_id`. */
export const notificationNewPayload = (n: Notification): NotificationNewPayload => ({ ...notificationPayload(n), _id: n.id });

/** An inbox row: the notification and its read state. */
export const inboxEntry = (item: InboxItem): InboxEntry => ({ ...notificationPayload(item), read: item.readAt !== null, readAt: item.readAt });

/** Seed 004's `system-announcement` level for a notification type. */
export const announcementLevel = (type: Notification['type']): AnnouncementLevel => (type === 'success' ? 'info' : type);
