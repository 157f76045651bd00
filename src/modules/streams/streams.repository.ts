import type { Queryable } from '../../storage/index.ts';

/** One event to append: its wire name and payload, and the users whose streams get it. */
export interface AppendRequest {
  readonly userIds: readonly string[];
  readonly event: string;
  readonly payload: unknown;
}

/** A stored event as a user's stream holds it. */
export interface StreamEntry {
  readonly seq: number;
  readonly event: string;
  readonly payload: unknown;
}

/** Where a user's stream stands: the last seq given out, and the oldest one still retained (null when none is). */
export interface StreamPosition {
  readonly headSeq: number;
  readonly oldestSeq: number | null;
}

/**
 * Appends many events for many users in ONE statement. A user named by
 * several events of the batch gets consecutive seqs in batch order: the head
 * row is bumped once by the user's count (ON CONFLICT cannot touch a row
 * twice), and the entries are numbered back from the new head. Head rows are
 * locked in user-id order, so two nodes' batches cannot deadlock on them.
 */
const APPEND_SQL = `
WITH src AS (
  SELECT t.ord, t.event, t.payload, nextval('stream_events_id_seq') AS id
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(event, payload, ord)
),
stored AS (
  INSERT INTO stream_events (id, event, payload, created_at)
  SELECT id, event, payload::json, now() FROM src
),
rcpt AS (
  SELECT r.user_id, r.ev, r.k FROM unnest($3::text[], $4::int[]) WITH ORDINALITY AS r(user_id, ev, k)
),
counts AS (
  SELECT user_id, count(*)::bigint AS n FROM rcpt GROUP BY user_id
),
heads AS (
  INSERT INTO stream_heads (user_id, seq)
  SELECT user_id, n FROM counts ORDER BY user_id
  ON CONFLICT (user_id) DO UPDATE SET seq = stream_heads.seq + excluded.seq
  RETURNING user_id, seq
),
numbered AS (
  SELECT r.user_id, r.ev, r.k, h.seq - c.n + row_number() OVER (PARTITION BY r.user_id ORDER BY r.k) AS seq
  FROM rcpt r JOIN heads h USING (user_id) JOIN counts c USING (user_id)
),
entries AS (
  INSERT INTO stream_entries (user_id, seq, event_id, created_at)
  SELECT n.user_id, n.seq, s.id, now() FROM numbered n JOIN src s ON s.ord = n.ev
)
SELECT user_id, ev, seq FROM numbered ORDER BY k`;

/** SQL of the per-user streams (migrations/070_streams.sql). */
export class StreamsRepository {
  constructor(private readonly db: Queryable) {}

  /** Returns, per request, the `[userId, seq]` pairs it was given, in the request's user order. */
  async append(batch: readonly AppendRequest[]): Promise<Array<Array<[string, number]>>> {
    const events: string[] = [];
    const payloads: string[] = [];
    const users: string[] = [];
    const owners: number[] = [];
    batch.forEach((req, i) => {
      events.push(req.event);
      payloads.push(JSON.stringify(req.payload));
      for (const userId of req.userIds) {
        users.push(userId);
        owners.push(i + 1);
      }
    });
    const out = batch.map(() => [] as Array<[string, number]>);
    if (users.length === 0) return out;
    const { rows } = await this.db.query<{ user_id: string; ev: number; seq: string | number }>(APPEND_SQL, [events, payloads, users, owners]);
    for (const row of rows) out[Number(row.ev) - 1]!.push([row.user_id, Number(row.seq)]);
    return out;
  }

  /** The user's entries after `afterSeq` (up to `upToSeq` when given), oldest first. */
  async read(userId: string, afterSeq: number, limit: number, upToSeq?: number): Promise<StreamEntry[]> {
    const { rows } = await this.db.query<{ seq: string | number; event: string; payload: string }>(
      `SELECT e.seq, s.event, s.payload::text AS payload
         FROM stream_entries e JOIN stream_events s ON s.id = e.event_id
        WHERE e.user_id = $1 AND e.seq > $2 AND ($3::bigint IS NULL OR e.seq <= $3)
        ORDER BY e.seq LIMIT $4`,
      [userId, afterSeq, upToSeq ?? null, limit],
    );
    return rows.map((r) => ({ seq: Number(r.seq), event: r.event, payload: JSON.parse(r.payload) as unknown }));
  }

  async position(userId: string): Promise<StreamPosition> {
    const { rows } = await this.db.query<{ head: string | number | null; oldest: string | number | null }>(
      `SELECT (SELECT seq FROM stream_heads WHERE user_id = $1) AS head,
              (SELECT min(seq) FROM stream_entries WHERE user_id = $1) AS oldest`,
      [userId],
    );
    const row = rows[0];
    return { headSeq: Number(row?.head ?? 0), oldestSeq: row?.oldest == null ? null : Number(row.oldest) };
  }

  /** Deletes up to `limit` entries, then up to `limit` events, created before `before` (index range scans); returns how many rows went. */
  async purgeBatch(before: Date, limit: number): Promise<number> {
    const entries = await this.db.query(
      `DELETE FROM stream_entries WHERE (user_id, seq) IN (
         SELECT user_id, seq FROM stream_entries WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
    const events = await this.db.query(
      `DELETE FROM stream_events WHERE id IN (
         SELECT id FROM stream_events WHERE created_at < $1 ORDER BY created_at LIMIT $2)`,
      [before, limit],
    );
    return entries.rowCount + events.rowCount;
  }
}
