import type { Queryable } from '../../storage/index.ts';
import type { InboxItem, Notification, NotificationAction, NotificationType } from './notification-types.ts';
import { toIso } from '../../core/clock.ts';

interface NotificationRow {
  id: string;
  type: NotificationType;
  title: string;
  message: string;
  data: Record<string, unknown>;
  actions: NotificationAction[];
  created_at: Date | string;
  expires_at: Date | string | null;
}
interface InboxRow extends NotificationRow { seq: string | number; read_at: Date | string | null }

const isoOrNull = (v: Date | string | null) => (v === null ? null : toIso(v));

function toNotification(r: NotificationRow): Notification {
  return { id: r.id, type: r.type, title: r.title, message: r.message, data: r.data, actions: r.actions, createdAt: toIso(r.created_at), expiresAt: isoOrNull(r.expires_at) };
}

/** Unexpired at `$now`: expired notifications are never delivered, counted or listed. */
const LIVE = '(n.expires_at IS NULL OR n.expires_at > $2::timestamptz)';

/** SQL for notifications and inboxes; the same statements run on PGlite and PostgreSQL. */
export class NotificationsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores `n` for every user in `userIds` in ONE statement: the notification,
   * its inbox rows (one multi-row insert through `unnest`) and, with `push`,
   * a pending push row per recipient. Returns the number of recipients, or
   * null when `dedupeKey` was already used (nothing is stored then).
   */
  async create(n: Notification, userIds: readonly string[], opts: { dedupeKey?: string | undefined; push: boolean }): Promise<number | null> {
    const { rows } = await this.db.query<{ created: boolean; recipients: number }>(
      `WITH n AS (
         INSERT INTO notifications (id, type, title, message, data, actions, dedupe_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::timestamptz, $9::timestamptz)
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id
       ), r AS (
         INSERT INTO notification_recipients (user_id, notification_id)
         SELECT u.user_id, n.id FROM n CROSS JOIN unnest($10::text[]) AS u(user_id)
         RETURNING user_id, notification_id
       ), p AS (
         INSERT INTO push_deliveries (notification_id, user_id, status, next_attempt_at, created_at, updated_at)
         SELECT notification_id, user_id, 'pending', $8::timestamptz, $8::timestamptz, $8::timestamptz FROM r WHERE $11::boolean
       )
       SELECT EXISTS (SELECT 1 FROM n) AS created, (SELECT count(*) FROM r)::int AS recipients`,
      [n.id, n.type, n.title, n.message, JSON.stringify(n.data), JSON.stringify(n.actions), opts.dedupeKey ?? null, n.createdAt, n.expiresAt, userIds, opts.push],
    );
    const row = rows[0]!;
    return row.created ? row.recipients : null;
  }

  async countUnread(userId: string, now: string): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
       WHERE r.user_id = $1 AND r.read_at IS NULL AND ${LIVE}`,
      [userId, now],
    );
    return rows[0]?.count ?? 0;
  }

  /** Newest first; `before` is the `seq` of the last item of the previous page. */
  async list(userId: string, now: string, page: { before?: string | undefined; limit: number; unreadOnly: boolean }): Promise<InboxItem[]> {
    const { rows } = await this.db.query<InboxRow>(
      `SELECT r.seq, r.read_at, n.* FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id
       WHERE r.user_id = $1 AND ${LIVE} AND ($3::bigint IS NULL OR r.seq < $3::bigint) AND (NOT $4::boolean OR r.read_at IS NULL)
       ORDER BY r.seq DESC LIMIT $5`,
      [userId, now, page.before ?? null, page.unreadOnly, page.limit],
    );
    return rows.map((r) => ({ ...toNotification(r), readAt: isoOrNull(r.read_at), seq: String(r.seq) }));
  }

  /** Marks one inbox entry read (idempotent: the first read time stays). False when the user has no such notification. */
  async markRead(userId: string, notificationId: string, now: string): Promise<{ found: boolean; changed: boolean }> {
    // One statement: both CTEs see the row as it was, so `found` holds for an entry already read.
    const { rows } = await this.db.query<{ found: boolean; changed: boolean }>(
      `WITH target AS (SELECT 1 FROM notification_recipients WHERE user_id = $1 AND notification_id = $2),
       changed AS (
         UPDATE notification_recipients SET read_at = $3::timestamptz
         WHERE user_id = $1 AND notification_id = $2 AND read_at IS NULL RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM changed) AS changed`,
      [userId, notificationId, now],
    );
    return { found: rows[0]?.found ?? false, changed: rows[0]?.changed ?? false };
  }

  async markAllRead(userId: string, now: string): Promise<number> {
    const { rowCount } = await this.db.query('UPDATE notification_recipients SET read_at = $2::timestamptz WHERE user_id = $1 AND read_at IS NULL', [userId, now]);
    return rowCount;
  }
}
