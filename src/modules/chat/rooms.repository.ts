import { toIso } from '../../core/clock.ts';
import type { ChatRoomType } from '../../protocol/families/chat.ts';
import type { Queryable } from '../../storage/index.ts';
import type { ChatRoom, ChatUser } from './chat-types.ts';

interface RoomRow { id: string; name: string; type: ChatRoomType; closes_at: Date | string | null; created_at: Date | string }

const toRoom = (r: RoomRow): ChatRoom => ({ id: r.id, name: r.name, type: r.type, closesAt: r.closes_at === null ? null : toIso(r.closes_at), createdAt: toIso(r.created_at) });

export interface NewRoom { id: string; name: string; type: ChatRoomType; members: readonly ChatUser[] | readonly string[]; now: string }

/** SQL for rooms and members; the same statements run on PGlite and PostgreSQL. */
export class RoomsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The room and its members in ONE statement; nothing when the id (or, for
   * a direct room, the pair) exists already. Null then.
   */
  async create(room: NewRoom): Promise<ChatRoom | null> {
    const ids = room.members.map((m) => (typeof m === 'string' ? m : m.id));
    const names = room.members.map((m) => (typeof m === 'string' ? null : m.name));
    const pair = room.type === 'direct' ? [...ids].sort() : [null, null];
    const { rows } = await this.db.query<RoomRow>(
      `WITH r AS (
         INSERT INTO chat_rooms (id, name, type, direct_low, direct_high, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
         ON CONFLICT DO NOTHING
         RETURNING *
       ), m AS (
         INSERT INTO chat_members (room_id, user_id, name, joined_at)
         SELECT r.id, u.user_id, u.name, $6::timestamptz FROM r CROSS JOIN unnest($7::text[], $8::text[]) AS u(user_id, name)
         ON CONFLICT DO NOTHING
       )
       SELECT * FROM r`,
      [room.id, room.name, room.type, pair[0], pair[1], room.now, ids, names],
    );
    return rows[0] ? toRoom(rows[0]) : null;
  }

  async get(id: string): Promise<ChatRoom | null> {
    const { rows } = await this.db.query<RoomRow>('SELECT * FROM chat_rooms WHERE id = $1', [id]);
    return rows[0] ? toRoom(rows[0]) : null;
  }

  async findDirect(a: string, b: string): Promise<ChatRoom | null> {
    const [low, high] = [a, b].sort();
    const { rows } = await this.db.query<RoomRow>('SELECT * FROM chat_rooms WHERE direct_low = $1 AND direct_high = $2', [low, high]);
    return rows[0] ? toRoom(rows[0]) : null;
  }

  /** The room and its member ids, when `userId` is one of them (one round trip for every send). */
  async forMember(roomId: string, userId: string): Promise<{ room: ChatRoom; memberIds: string[] } | null> {
    const { rows } = await this.db.query<RoomRow & { member_ids: string[] }>(
      `SELECT r.*, array(SELECT m.user_id FROM chat_members m WHERE m.room_id = r.id) AS member_ids
       FROM chat_rooms r WHERE r.id = $1 AND EXISTS (SELECT 1 FROM chat_members m WHERE m.room_id = r.id AND m.user_id = $2)`,
      [roomId, userId],
    );
    return rows[0] ? { room: toRoom(rows[0]), memberIds: rows[0].member_ids } : null;
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM chat_members WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
    return rows.length > 0;
  }

  /** Members with their display names (profile, else the name given when added, else the id). */
  async members(roomId: string): Promise<ChatUser[]> {
    const { rows } = await this.db.query<ChatUser>(
      `SELECT m.user_id AS id, COALESCE(u.name, m.name, m.user_id) AS name
       FROM chat_members m LEFT JOIN users u ON u.id = m.user_id WHERE m.room_id = $1 ORDER BY m.joined_at, m.user_id`,
      [roomId],
    );
    return rows;
  }

  /** Adds members; returns the ids that were not members before. */
  async addMembers(roomId: string, userIds: readonly string[], now: string): Promise<string[]> {
    const { rows } = await this.db.query<{ user_id: string }>(
      `INSERT INTO chat_members (room_id, user_id, joined_at) SELECT $1, u, $3::timestamptz FROM unnest($2::text[]) AS u
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [roomId, userIds, now],
    );
    return rows.map((r) => r.user_id);
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM chat_members WHERE room_id = $1 AND user_id = $2', [roomId, userId]);
    return rowCount > 0;
  }

  /** Trip rooms close `closeAfterMs` after the trip ended; no-op when the trip had no room. */
  async setClosesAt(roomId: string, closesAt: string): Promise<void> {
    await this.db.query(`UPDATE chat_rooms SET closes_at = $2::timestamptz WHERE id = $1 AND type = 'trip'`, [roomId, closesAt]);
  }
}
