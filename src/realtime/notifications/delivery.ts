import type { Logger } from '../../core/logger.ts';
import {
  announcementLevel, isExpired, notificationNewPayload, notificationPayload, type Notification, type NotificationsEvents, type NotificationsService,
} from '../../modules/notifications/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Delivery } from '../delivery.ts';
import type { SessionHook } from '../sessions.ts';
import { rooms } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Turns notifications-module events into emits: a new notification goes to
 * `user:{id}` as `notification` (seed 000) and `notification:new` (seed 001)
 * — one emit each however many recipients; a broadcast to everyone as
 * `notification:broadcast` (seed 001) and `system-announcement` (seed 004).
 * With a batch window, a burst to one user goes out as its first
 * notification alone, then the rest in one `notifications:batch` (seed 003).
 * The per-user ones are durable (`_seq`, resumable); the count and broadcasts
 * are transient.
 */
export function deliverNotificationEvents(events: EventSource<NotificationsEvents>, delivery: Delivery, opts: { batchWindowMs: number; now: () => number }): { stop(): void } {
  // Durable: stored in each recipient's stream first, so a client that reconnects gets them again.
  const emitOne = (userIds: readonly string[], n: Notification) => {
    void delivery.durable(userIds, 'notification', notificationPayload(n));
    void delivery.durable(userIds, 'notification:new', notificationNewPayload(n));
  };
  const batcher = opts.batchWindowMs > 0 ? new BurstBatcher(opts.batchWindowMs, (userId, held) => {
    // Held notifications are stored already; one that expired while held is not delivered.
    const live = held.filter((n) => !isExpired(n, opts.now()));
    if (live.length) void delivery.durable([userId], 'notifications:batch', live.map(notificationPayload));
  }) : undefined;

  events.on('notification.created', ({ notification, userIds }) => {
    if (batcher && userIds.length === 1 && batcher.hold(userIds[0]!, notification)) return;
    emitOne(userIds, notification);
  });
  events.on('notification.broadcast', ({ notification }) => {
    delivery.toAll('notification:broadcast', notificationPayload(notification));
    delivery.toAll('system-announcement', { message: notification.message, level: announcementLevel(notification.type), timestamp: Date.parse(notification.createdAt) });
  });
  events.on('notification.count_changed', ({ userId, count }) => {
    delivery.to(rooms.user(userId), 'notification:count', { count });
  });
  return { stop: () => batcher?.flushAll() };
}

/** Session hook: a user who connects with unread notifications gets `notification:count`. */
export function sendUnreadCountOnConnect(notifications: NotificationsService, metrics: Metrics, log: Logger): SessionHook {
  return async (socket) => {
    try {
      const count = await notifications.countUnread(socket.data.userId);
      if (count === 0 || !socket.connected) return;
      socket.emit('notification:count', { count });
      metrics.eventSent('notification:count');
    } catch (err) {
      log.warn({ err, userId: socket.data.userId }, 'unread count on connect failed');
    }
  };
}

/**
 * Per-user burst windows on this node. The first notification opens a window
 * and goes out at once; later ones inside it are held and flushed together
 * when it closes. Held notifications are already stored, so a node dying
 * with a window open loses only their live emit (the inbox and count have them).
 */
class BurstBatcher {
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; held: Notification[] }>();

  constructor(private readonly windowMs: number, private readonly flush: (userId: string, held: Notification[]) => void) {}

  /** True when `n` was held for the batch; false when it should go out now (it opened a window). */
  hold(userId: string, n: Notification): boolean {
    const open = this.windows.get(userId);
    if (open) {
      open.held.push(n);
      return true;
    }
    const timer = setTimeout(() => this.close(userId), this.windowMs);
    timer.unref();
    this.windows.set(userId, { timer, held: [] });
    return false;
  }

  flushAll(): void {
    for (const userId of [...this.windows.keys()]) this.close(userId);
  }

  private close(userId: string): void {
    const open = this.windows.get(userId);
    if (!open) return;
    clearTimeout(open.timer);
    this.windows.delete(userId);
    if (open.held.length) this.flush(userId, open.held);
  }
}
