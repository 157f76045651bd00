import type { Queryable } from '../../storage/index.ts';
import type { Notification, NotificationAction, NotificationType } from './notification-types.ts';
import { toIso } from '../../core/clock.ts';

/** A claimed push call: the claim is current while `attempts` in the row still equals this one. */
export interface ClaimedPush {
  notification: Notification;
  userId: string;
  attempts: number;
}
export type PushKey = Pick<ClaimedPush, 'userId' | 'attempts'> & { notificationId: string };
export type FinalPushStatus = 'sent' | 'failed' | 'skipped' | 'expired';
/** What became of one claimed row: a final status, or `pending` again until `nextAt`. */
export type PushResult =
  | { key: PushKey; status: FinalPushStatus; error?: string | null; nextAt?: undefined }
  | { key: PushKey; status: 'pending'; error: string; nextAt: string };

interface ClaimRow {
  user_id: string;
  attempts: number;
  id: string;
  type: NotificationType;
  title: string;
  message: string;
  data: Record<string, unknown>;
  actions: NotificationAction[];
  created_at: Date | string;
  expires_at: Date | string | null;
}


/** Push deliveries: claims and results are conditional updates, so two nodes never send the same row at once. */
export class PushRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Claims up to `limit` due rows: pending ones whose time has come, and
   * `sending` ones whose claimant's lease ran out (a node that died between
   * claim and result). The claim moves `next_attempt_at` to the lease's end.
   */
  async claimDue(now: string, leaseUntil: string, limit: number): Promise<ClaimedPush[]> {
    const { rows } = await this.db.query<ClaimRow>(
      // The notifications join stays outside the UPDATE: inside it, the planner may
      // probe push_deliveries by notification_id alone (one bulk send = one id).
      `WITH due AS (
         SELECT notification_id, user_id FROM push_deliveries
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1::timestamptz
         ORDER BY next_attempt_at LIMIT $3
         FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE push_deliveries p
         SET status = 'sending', attempts = p.attempts + 1, next_attempt_at = $2::timestamptz, updated_at = $1::timestamptz
         FROM due WHERE p.notification_id = due.notification_id AND p.user_id = due.user_id
         RETURNING p.notification_id, p.user_id, p.attempts
       )
       SELECT c.user_id, c.attempts, n.id, n.type, n.title, n.message, n.data, n.actions, n.created_at, n.expires_at
       FROM claimed c JOIN notifications n ON n.id = c.notification_id`,
      [now, leaseUntil, limit],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      attempts: r.attempts,
      notification: { id: r.id, type: r.type, title: r.title, message: r.message, data: r.data, actions: r.actions, createdAt: toIso(r.created_at), expiresAt: r.expires_at === null ? null : toIso(r.expires_at) },
    }));
  }

  /**
   * Records the results of one round in one statement: a final status, or
   * `pending` with the next attempt's time. A claim that is no longer current
   * (its lease ended and another node took the row) changes nothing.
   */
  async record(results: readonly PushResult[], now: string): Promise<number> {
    if (results.length === 0) return 0;
    const { rowCount } = await this.db.query(
      `UPDATE push_deliveries p
       SET status = k.status, next_attempt_at = COALESCE(k.next_at, p.next_attempt_at), last_error = k.error, updated_at = $7::timestamptz
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::text[]) AS k(notification_id, user_id, attempts, status, next_at, error)
       WHERE p.notification_id = k.notification_id AND p.user_id = k.user_id AND p.status = 'sending' AND p.attempts = k.attempts`,
      [
        results.map((r) => r.key.notificationId), results.map((r) => r.key.userId), results.map((r) => r.key.attempts),
        results.map((r) => r.status), results.map((r) => r.nextAt ?? null), results.map((r) => r.error ?? null), now,
      ],
    );
    return rowCount;
  }

  /** Deletes up to `limit` finished rows last touched before `before` (the table only keeps recent history). */
  async prune(before: string, limit: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM push_deliveries WHERE (notification_id, user_id) IN (
         SELECT notification_id, user_id FROM push_deliveries
         WHERE status NOT IN ('pending', 'sending') AND updated_at < $1::timestamptz LIMIT $2)`,
      [before, limit],
    );
    return rowCount;
  }

  /** Rows by status (tests, diagnostics). */
  async statusOf(notificationId: string, userId: string): Promise<{ status: string; attempts: number; lastError: string | null } | null> {
    const { rows } = await this.db.query<{ status: string; attempts: number; last_error: string | null }>(
      'SELECT status, attempts, last_error FROM push_deliveries WHERE notification_id = $1 AND user_id = $2',
      [notificationId, userId],
    );
    return rows[0] ? { status: rows[0].status, attempts: rows[0].attempts, lastError: rows[0].last_error } : null;
  }
}
