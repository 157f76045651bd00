import { DomainEvents } from '../core/domain-events.ts';
import { registerNotificationsRoutes } from '../http/routes/notifications.routes.ts';
import { createNotificationsModule, notifyTripEvents, type NotificationsEvents, type NotificationsModule } from '../modules/notifications/index.ts';
import { notificationsHandlers } from '../realtime/notifications/handlers.ts';
import { deliverNotificationEvents, sendUnreadCountOnConnect } from '../realtime/notifications/delivery.ts';
import type { FamilyContext } from './context.ts';
import type { TripsFamily } from './trips.ts';

/**
 * Family D, notifications: inboxes, counts and mark-read, broadcasts, the
 * push relay for users with no socket anywhere in the cluster, and trip
 * milestones as notifications.
 */
export function attachNotifications(ctx: FamilyContext, deps: { trips: TripsFamily }): NotificationsModule {
  const { config, clock, metrics, log } = ctx;
  const events = new DomainEvents<NotificationsEvents>(log);
  const notifications = createNotificationsModule({
    db: ctx.db, events, clock, settings: config.notifications, onlineAmong: (userIds) => ctx.registry.onlineAmong(userIds), metrics, log,
  });
  notifyTripEvents(deps.trips.events, notifications.service, log);
  ctx.handle(notificationsHandlers({ notifications: notifications.service }));
  ctx.onAuthenticated(sendUnreadCountOnConnect(notifications.service, metrics, log));
  registerNotificationsRoutes(ctx.http, { notifications: notifications.service, guard: ctx.guards.staff });
  // Push calls in flight finish before the database closes; held batches are flushed before that.
  ctx.lifecycle.add({ name: 'notifications', start: () => notifications.start(), stop: () => notifications.stop() });
  const delivery = deliverNotificationEvents(events, ctx.delivery, { batchWindowMs: config.notifications.batchWindowMs, now: () => clock.now() });
  ctx.lifecycle.add({ name: 'notification-delivery', stop: () => delivery.stop() });
  return notifications;
}
