/**
 * The notifications module (family D): inboxes, bulk sends,
 * broadcasts and the push relay for users without a live socket. Other
 * modules use only what is exported here; to notify a user, call
 * `notifications.service.notifyUser(userId, notification, { dedupeKey })`.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Queryable } from '../../storage/index.ts';
import type { NotificationsEvents } from './notifications-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { NotificationsService, type NotificationsSettings } from './notifications.service.ts';
import { PushRelay, type PushSettings } from './push-relay.ts';
import { PushRepository } from './push.repository.ts';

export type { NotificationsEvents } from './notifications-events.ts';
export type { Notification, InboxItem, NotificationInput, SendTarget } from './notification-types.ts';
export { isExpired } from './notification-types.ts';
export { notificationPayload, notificationNewPayload, inboxEntry, announcementLevel } from './notification-payloads.ts';
export { NotificationsService, type NotificationsSettings, type SendResult, type InboxPage } from './notifications.service.ts';
export type { PushRelay, PushSettings } from './push-relay.ts';
export { PushRepository } from './push.repository.ts';
export { signPush, verifyPush, PUSH_HEADERS } from './push-signature.ts';
export { notifyTripEvents } from './trip-notifications.ts';

export interface NotificationsModuleDeps {
  db: Queryable;
  events: Publisher<NotificationsEvents>;
  clock: Clock;
  settings: NotificationsSettings & { readonly push: PushSettings | undefined };
  /** Cluster-wide presence (the connection registry): who among these has a live socket. */
  onlineAmong(userIds: readonly string[]): Promise<ReadonlySet<string>>;
  metrics: Metrics;
  log: Logger;
}

export interface NotificationsModule {
  service: NotificationsService;
  /** Undefined when PUSH_WEBHOOK_URL is unset. Start after the server listens; stop before the database closes. */
  push: PushRelay | undefined;
  start(): void;
  stop(): Promise<void>;
}

export function createNotificationsModule(deps: NotificationsModuleDeps): NotificationsModule {
  const { settings } = deps;
  const push = settings.push
    ? new PushRelay({ repo: new PushRepository(deps.db), onlineAmong: deps.onlineAmong, settings: settings.push, clock: deps.clock, metrics: deps.metrics, log: deps.log })
    : undefined;
  const service = new NotificationsService({ repo: new NotificationsRepository(deps.db), events: deps.events, clock: deps.clock, settings, push });
  return {
    service,
    push,
    start: () => push?.start(),
    stop: async () => push?.stop(),
  };
}
