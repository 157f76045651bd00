import type {
  NotificationAction, NotificationContent, NotificationInput, NotificationPayload, NotificationType,
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

/** Seed 000's `notification` payload: the one mapping from the stored notification to the wire. */
export function notificationPayload(n: Notification): NotificationPayload {
  return { id: n.id, type: n.type, title: n.title, message: n.message, data: n.data, actions: n.actions, timestamp: n.createdAt, expiresAt: n.expiresAt };
}

export const isExpired = (n: Pick<Notification, 'expiresAt'>, now: number): boolean => n.expiresAt !== null && Date.parse(n.expiresAt) <= now;
