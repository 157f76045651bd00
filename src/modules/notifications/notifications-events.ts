import type { Notification } from './notification-types.ts';

/**
 * What the notifications module reports. It knows nothing about sockets: the
 * delivery layer (src/realtime/notifications/delivery.ts) turns these into emits.
 */
export interface NotificationsEvents {
  /** Stored for `userIds` (one event, however many recipients: one emit to many rooms). */
  'notification.created': { notification: Notification; userIds: readonly string[] };
  /** To every connected socket; not stored. */
  'notification.broadcast': { notification: Notification };
  /** A user's unread count changed by their own action (mark-read). */
  'notification.count_changed': { userId: string; count: number };
}

