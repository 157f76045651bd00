import type {
  NotificationAction, NotificationContent, NotificationInput, NotificationType,
} from '../../protocol/families/notifications.ts';

export type { NotificationAction, NotificationContent, NotificationInput, NotificationType };

/** A stored (or broadcast) notification. Times are ISO-8601. */
export interface Notification {
  id: string;
  type: NotificationType;
  title: string;
  message: string;
  data: Record<string, unknown>;
  actions: NotificationAction[];
  createdAt: string;
  expiresAt: string | null;
}

/** A recipient's view of a notification. */
export interface InboxItem extends Notification {
  readAt: string | null;
  /** Inbox position; the list cursor. */
  seq: string;
}

/** Who a send goes to. */
export type SendTarget = { userId: string } | { userIds: readonly string[] } | { broadcast: true };

export const isExpired = (n: Pick<Notification, 'expiresAt'>, now: number): boolean => n.expiresAt !== null && Date.parse(n.expiresAt) <= now;
