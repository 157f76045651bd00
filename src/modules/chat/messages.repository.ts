import { toIso } from '../../core/clock.ts';
import type { Queryable } from '../../storage/index.ts';

/** A message row as stored: content may be ciphertext (key_id set). */
export interface StoredMessage {
  id: string;
  seq: string;
  roomId: string;
  senderId: string;
  senderName: string;
  type: 'text';
  content: string;
  keyId: string | null;
  tempId: string | null;
  createdAt: string;
  readBy: number;
}

interface MessageRow {
  id: string; seq: string | number; room_id: string; sender_id: string; sender_name: string; type: 'text';
  content: string; key_id: string | null; temp_id: string | null; created_at: Date | string; read_by?: number;
}

const toStored = (r: MessageRow): StoredMessage => ({
  id: r.id, seq: String(r.seq), roomId: r.room_id, senderId: r.sender_id, senderName: r.sender_name, type: r.type,
  content: r.content, keyId: r.key_id, tempId: r.temp_id, createdAt: toIso(r.created_at), readBy: r.read_by ?? 0,
});

/** Readers other than the sender. */
const READ_BY = '(SELECT count(*)::int FROM chat_reads r WHERE r.message_id = m.id AND r.user_id <> m.sender_id) AS read_by';

/** SQL for messages and read receipts; the same statements run on PGlite and PostgreSQL. */
export class MessagesRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores a message; a second insert with the same (sender, tempId) stores
   * nothing and reads the first back. Two statements on purpose: the
   * read-back must see a conflicting row another transaction committed
   * after this insert's snapshot was taken.
   */
  async insert(m: Omit<StoredMessage, 'seq' | 'readBy'>): Promise<{ message: StoredMessage; created: boolean }> {
    const { rows } = await this.db.query<MessageRow>(
      `INSERT INTO chat_messages (id, room_id, sender_id, sender_name, type, content, key_id, temp_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz)
       ON CONFLICT (sender_id, temp_id) DO NOTHING RETURNING *`,
      [m.id, m.roomId, m.senderId, m.senderName, m.type, m.content, m.keyId, m.tempId, m.createdAt],
    );
    if (rows[0]) return { message: toStored(rows[0]), created: true };
    const first = await this.db.query<MessageRow>(`SELECT m.*, ${READ_BY} FROM chat_messages m WHERE m.sender_id = $1 AND m.temp_id = $2`, [m.senderId, m.tempId]);
    if (!first.rows[0]) throw new Error('chat message conflict without a stored row');
    return { message: toStored(first.rows[0]), created: false };
  }

  /** Newest first, strictly older than `before` (a seq): a keyset walk on (room_id, seq DESC). */
  async page(roomId: string, before: string | undefined, limit: number): Promise<StoredMessage[]> {
    const { rows } = await this.db.query<MessageRow>(
      `SELECT m.*, ${READ_BY} FROM chat_messages m
       WHERE m.room_id = $1 AND ($2::bigint IS NULL OR m.seq < $2::bigint)
       ORDER BY m.seq DESC LIMIT $3`,
      [roomId, before ?? null, limit],
    );
    return rows.map(toStored);
  }

  async get(id: string): Promise<StoredMessage | null> {
    const { rows } = await this.db.query<MessageRow>(`SELECT m.*, ${READ_BY} FROM chat_messages m WHERE m.id = $1`, [id]);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /**
   * Records a read when `readerId` is a member of the message's room (one
   * statement). The first read time stays. Null when the message does not
   * exist or the reader is not a member.
   */
  async markRead(messageId: string, readerId: string, now: string): Promise<{ senderId: string; readAt: string; created: boolean } | null> {
    const { rows } = await this.db.query<{ sender_id: string; read_at: Date | string | null; created: boolean }>(
      `WITH msg AS (
         SELECT m.id, m.sender_id FROM chat_messages m
         WHERE m.id = $1 AND EXISTS (SELECT 1 FROM chat_members c WHERE c.room_id = m.room_id AND c.user_id = $2)
       ), ins AS (
         INSERT INTO chat_reads (message_id, user_id, read_at) SELECT id, $2, $3::timestamptz FROM msg
         ON CONFLICT DO NOTHING RETURNING read_at
       )
       SELECT msg.sender_id,
              COALESCE((SELECT read_at FROM ins), (SELECT read_at FROM chat_reads WHERE message_id = msg.id AND user_id = $2)) AS read_at,
              EXISTS (SELECT 1 FROM ins) AS created
       FROM msg`,
      [messageId, readerId, now],
    );
    const row = rows[0];
    if (!row) return null;
    // A read that lost a race with a concurrent one committed after this snapshot: its time is as good.
    return { senderId: row.sender_id, readAt: toIso(row.read_at ?? now), created: row.created };
  }
}
