import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { notificationInput } from '../../protocol/families/notifications.ts';
import type { InboxItem, Notification, NotificationInput, SendTarget } from './notification-types.ts';
import type { NotificationsEvents } from './notifications-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { NotificationsRepository } from './notifications.repository.ts';

export interface NotificationsSettings {
  /** Most recipients one bulk send may name. */
  readonly bulkMax: number;
}

export interface NotificationsServiceDeps {
  repo: NotificationsRepository;
  events: Publisher<NotificationsEvents>;
  clock: Clock;
  settings: NotificationsSettings;
  /** Set when push is on: pending push rows are written with the inbox rows, then this runs. */
  push?: { kick(): void } | undefined;
}

export interface SendResult { notification: Notification | null; broadcast: boolean; recipients: number }
export interface InboxPage { items: InboxItem[]; nextCursor: string | null; unreadCount: number }

/**
 * Inboxes: store, count, list, mark read; publish what happened. Knows
 * nothing about sockets. Other modules (payments, chat) call `notifyUser`.
 */
export class NotificationsService {
  constructor(private readonly d: NotificationsServiceDeps) {}

  /** Sends to one user, many users (one insert, one event) or everyone (not stored). */
  async send(target: SendTarget, input: NotificationInput, opts: { dedupeKey?: string | undefined } = {}): Promise<SendResult> {
    const notification = this.build(input);
    if ('broadcast' in target) {
      this.d.events.publish('notification.broadcast', { notification });
      return { notification, broadcast: true, recipients: 0 };
    }
    const userIds = 'userId' in target ? [target.userId] : [...new Set(target.userIds)];
    if (userIds.length === 0) throw new AppError('VALIDATION_ERROR', 'No recipients', { field: 'userIds' });
    if (userIds.length > this.d.settings.bulkMax) {
      throw new AppError('VALIDATION_ERROR', `At most ${this.d.settings.bulkMax} recipients per send`, { field: 'userIds', max: this.d.settings.bulkMax });
    }
    const recipients = await this.d.repo.create(notification, userIds, { dedupeKey: opts.dedupeKey, push: this.d.push !== undefined });
    if (recipients === null) return { notification: null, broadcast: false, recipients: 0 };
    this.d.events.publish('notification.created', { notification, userIds });
    this.d.push?.kick();
    return { notification, broadcast: false, recipients };
  }

  /**
   * Stores a notification for one user and delivers it (live, or by push
   * when the user has no socket). For other modules, e.g. payments:
   * `notifyUser(passengerId, { type: 'success', title: 'Payment received', message, data: { tripId } }, { dedupeKey: `payment:${id}` })`.
   * Resolves to null when `dedupeKey` was used before. Throws VALIDATION_ERROR on a bad notification.
   */
  async notifyUser(userId: string, input: NotificationInput, opts: { dedupeKey?: string | undefined } = {}): Promise<Notification | null> {
    return (await this.send({ userId }, input, opts)).notification;
  }

  countUnread(userId: string): Promise<number> {
    return this.d.repo.countUnread(userId, this.nowIso());
  }

  async list(userId: string, page: { cursor?: string | undefined; limit: number; unreadOnly: boolean }): Promise<InboxPage> {
    const now = this.nowIso();
    const rows = await this.d.repo.list(userId, now, { before: page.cursor, limit: page.limit + 1, unreadOnly: page.unreadOnly });
    const items = rows.slice(0, page.limit);
    const nextCursor = rows.length > page.limit ? items[items.length - 1]!.seq : null;
    return { items, nextCursor, unreadCount: await this.d.repo.countUnread(userId, now) };
  }

  /** Marks one notification (or `"all"`) read; reports the fresh count to every socket of the user. */
  async markRead(userId: string, target: string): Promise<{ marked: number; count: number }> {
    const now = this.nowIso();
    let marked: number;
    if (target === 'all') marked = await this.d.repo.markAllRead(userId, now);
    else {
      const result = await this.d.repo.markRead(userId, target, now);
      // Someone else's notification and a missing one look alike.
      if (!result.found) throw new AppError('NOT_FOUND', 'Notification not found');
      marked = result.changed ? 1 : 0;
    }
    const count = await this.d.repo.countUnread(userId, now);
    this.d.events.publish('notification.count_changed', { userId, count });
    return { marked, count };
  }

  private build(input: NotificationInput): Notification {
    const parsed = notificationInput.safeParse(input);
    if (!parsed.success) throw validationError('notification', parsed.error.issues);
    const c = parsed.data;
    const now = this.d.clock.now();
    const expiresAt = c.expiresAt === undefined ? null : new Date(Date.parse(c.expiresAt)).toISOString();
    if (expiresAt !== null && Date.parse(expiresAt) <= now) throw new AppError('VALIDATION_ERROR', 'expiresAt must be in the future', { field: 'expiresAt' });
    return { id: randomUUID(), type: c.type, title: c.title, message: c.message, data: c.data, actions: c.actions, createdAt: new Date(now).toISOString(), expiresAt };
  }

  private nowIso(): string {
    return new Date(this.d.clock.now()).toISOString();
  }
}
