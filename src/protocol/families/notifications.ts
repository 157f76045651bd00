import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, isoTime, json, noPayload, text } from '../schemas.ts';

/**
 * Family D: notifications (seed 000 "Notification Events",
 * seed 001 notification counts and mark-read, seed 003 `notifications:batch`,
 * seed 004 `system-announcement`). A notification has one id; a bulk send
 * shares it among its recipients, each of whom has their own read state.
 */
export const NOTIFICATION_TYPES = ['info', 'warning', 'error', 'success'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Seed 004's announcement levels; a `success` broadcast is announced as `info`. */
export const ANNOUNCEMENT_LEVELS = ['info', 'warning', 'error'] as const;
export type AnnouncementLevel = (typeof ANNOUNCEMENT_LEVELS)[number];

export const notificationId = z.uuid();

const MAX_DATA_BYTES = 8 * 1024;
/** Free-form JSON a client app interprets (`{ tripId, amount }`); bounded in keys and serialized size. */
const jsonData = z
  .record(text().min(1).max(64), json())
  .refine((o) => Object.keys(o).length <= 50, 'at most 50 keys')
  .refine((o) => JSON.stringify(o).length <= MAX_DATA_BYTES, `at most ${MAX_DATA_BYTES} bytes as JSON`);

export const notificationAction = z.object({
  label: text().trim().min(1).max(60),
  action: text().trim().min(1).max(64),
  data: jsonData.optional(),
});
export type NotificationAction = z.output<typeof notificationAction>;

/**
 * What a sender supplies (HTTP API and `notifyUser`). Seed 001 broadcasts
 * carry only `{ message, type }`, so `title` may be empty.
 */
export const notificationInput = z.object({
  type: z.enum(NOTIFICATION_TYPES).default('info'),
  title: text().trim().max(200).default(''),
  message: text().trim().min(1).max(2000),
  data: jsonData.default({}),
  actions: z.array(notificationAction).max(5).default([]),
  /** Not delivered, counted or listed from this instant on. Must be in the future. */
  expiresAt: isoTime.optional(),
});
export type NotificationInput = z.input<typeof notificationInput>;
export type NotificationContent = z.output<typeof notificationInput>;

/** `notification:mark-read` target: one id, or `"all"`. */
const markTarget = z.union([notificationId, z.literal('all')]);

// --- Server→client payloads (the types below are inferred from them) ---

/** Seed 000's `notification` shape. `expiresAt` is null when the notification does not expire. */
export const notificationPayload = z.object({
  id: z.string(),
  type: z.enum(NOTIFICATION_TYPES),
  title: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  actions: z.array(z.object({ label: z.string(), action: z.string(), data: z.record(z.string(), z.unknown()).optional() })),
  timestamp: isoTime,
  expiresAt: isoTime.nullable(),
});
/** Seed 001's `notification:new`: the same, plus `_id` (its React example keys the list by `notif._id`). */
export const notificationNewPayload = notificationPayload.extend({ _id: z.string().describe('the same as `id`') });
/** An inbox entry (`notification:list`). */
export const inboxEntry = notificationPayload.extend({ read: z.boolean(), readAt: isoTime.nullable() });
export const notificationListPayload = z.object({
  notifications: z.array(inboxEntry).describe('newest first'),
  nextCursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  unreadCount: z.number().int(),
});
/** Seed 004's global announcement; `timestamp` in epoch milliseconds as that document uses. */
export const systemAnnouncementPayload = z.object({ message: z.string(), level: z.enum(ANNOUNCEMENT_LEVELS), timestamp: z.number().int().describe('epoch milliseconds') });
export const notificationCountPayload = z.object({ count: z.number().int().describe('unread notifications') });

export type NotificationPayload = z.output<typeof notificationPayload>;
export type NotificationNewPayload = z.output<typeof notificationNewPayload>;
export type InboxEntry = z.output<typeof inboxEntry>;
export type NotificationListPayload = z.output<typeof notificationListPayload>;
export type SystemAnnouncementPayload = z.output<typeof systemAnnouncementPayload>;

export const notificationsInbound = {
  /** Answers through the ack and with `notification:count { count }` (seed 001). */
  'notification:request-count': defineInbound({
    schema: noPayload,
    audience: 'authenticated',
    rate: 'default',
    ack: notificationCountPayload,
  }),
  /** Seed 001 sends a bare id; `"all"` and `{ notificationId }` are accepted too. Answers `{ marked, count }` and a fresh `notification:count`. */
  'notification:mark-read': defineInbound({
    schema: z.union([markTarget, z.object({ notificationId: markTarget }).transform((o) => o.notificationId)]),
    audience: 'authenticated',
    rate: 'default',
    ack: z.object({ marked: z.number().int().describe('notifications newly marked read'), count: z.number().int().describe('unread notifications left') }),
  }),
  /** New: the inbox, newest first, `limit` per page; pass the answer's `nextCursor` for the next page. */
  'notification:list': defineInbound({
    schema: z
      .object({
        cursor: text().max(18).regex(/^[1-9]\d{0,17}$/, 'expected a cursor from a previous answer').describe('`nextCursor` of a previous answer').optional(),
        limit: z.number().int().min(1).max(100).default(20),
        unreadOnly: z.boolean().default(false),
      })
      .optional()
      .transform((o) => o ?? { limit: 20, unreadOnly: false }),
    audience: 'authenticated',
    rate: 'default',
    ack: notificationListPayload,
  }),
} as const;

export const notificationsOutbound = {
  notification: defineOutbound({ schema: notificationPayload, to: '`user:{id}` of every recipient (one emit however many), when a notification is created' }),
  'notification:new': defineOutbound({ schema: notificationNewPayload, to: 'the same rooms as `notification`, at the same time' }),
  'notification:count': defineOutbound({
    schema: notificationCountPayload,
    to: '`user:{id}` when the unread count changes; the socket that sent `notification:request-count`; a socket that connects with unread notifications',
  }),
  'notification:broadcast': defineOutbound({ schema: notificationPayload, to: 'every socket (a broadcast notification is not stored)' }),
  'notifications:batch': defineOutbound({
    schema: z.array(notificationPayload),
    to: '`user:{id}`: a burst to one user within `NOTIFICATION_BATCH_WINDOW_MS`, after the first went out alone',
  }),
  'system-announcement': defineOutbound({ schema: systemAnnouncementPayload, to: 'every socket, with every `notification:broadcast` (a `success` notification is announced as `info`)' }),
} as const;

export type NotificationsOutbound = OutboundEvents<typeof notificationsOutbound>;

// --- HTTP (POST /api/notifications) ---

/** Exactly one target: `userId`, `userIds` (one emit, one insert) or `broadcast: true`. */
export const sendNotificationBody = z
  .object({
    userId: id.optional(),
    userIds: z.array(id).min(1).max(100_000).optional(),
    broadcast: z.literal(true).optional(),
    notification: notificationInput,
    /** Makes a retried send harmless: a second send with the same key creates nothing. Not for broadcasts. */
    dedupeKey: text().trim().min(1).max(200).optional(),
  })
  .refine((b) => [b.userId !== undefined, b.userIds !== undefined, b.broadcast === true].filter(Boolean).length === 1, 'give exactly one of userId, userIds, broadcast: true')
  .refine((b) => !(b.broadcast && b.dedupeKey), 'dedupeKey does not apply to broadcasts');

export const sendNotificationResult = z.object({
  /** The notification's id (shared by every recipient of a bulk send); null when `dedupeKey` had been used already. */
  id: z.string().nullable(),
  broadcast: z.boolean(),
  /** Inbox entries created (0 for a broadcast, which is not stored). */
  recipients: z.number().int(),
});
