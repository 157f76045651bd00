import type { Queryable } from '../../storage/index.ts';
import type { UserProfile, VehicleInfo } from '../../protocol/http.ts';
import type { Role } from '../../protocol/roles.ts';
import type { UserStatus } from '../../protocol/families/users.ts';
import { toIso } from '../../core/clock.ts';

interface UserRow {
  id: string;
  role: Role;
  name: string;
  phone: string | null;
  rating: string | number | null;
  status: UserStatus;
  status_reason: string | null;
  vehicle: VehicleInfo | null;
  created_at: Date | string;
  updated_at: Date | string;
  previous_status?: UserStatus | null;
}


function toProfile(r: UserRow): UserProfile {
  return {
    id: r.id,
    role: r.role,
    name: r.name,
    phone: r.phone,
    rating: r.rating === null ? null : Number(r.rating),
    status: r.status,
    statusReason: r.status_reason,
    vehicle: r.vehicle,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export interface ProfileWrite {
  role?: Role;
  name?: string;
  phone?: string;
  rating?: number;
  status?: UserStatus;
  reason?: string;
  vehicle?: VehicleInfo;
}

export interface WriteResult { user: UserProfile; previousStatus: UserStatus | null }

/** SQL for users; the same statements run on PGlite and PostgreSQL. */
export class UsersRepository {
  constructor(private readonly db: Queryable) {}

  async get(id: string): Promise<UserProfile | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toProfile(rows[0]) : null;
  }

  /** Inserts or updates a profile; reports the status it had before (null when new). */
  async upsert(id: string, p: Required<Pick<ProfileWrite, 'role' | 'name'>> & ProfileWrite): Promise<WriteResult> {
    const { rows } = await this.db.query<UserRow>(
      // The join makes `old` lock and read the row before the insert touches it:
      // read only from RETURNING, the CTE would run after the update and skip
      // the row this very statement had just modified (previous_status NULL).
      `WITH old AS (SELECT status FROM users WHERE id = $1 FOR UPDATE)
       INSERT INTO users (id, role, name, phone, rating, status, status_reason, vehicle)
       SELECT $1, $2::text, $3::text, $4::text, $5::numeric, COALESCE($6::text, 'active'), $7::text, $8::jsonb
       FROM (VALUES (1)) AS one LEFT JOIN old ON true
       ON CONFLICT (id) DO UPDATE SET
         role = EXCLUDED.role, name = EXCLUDED.name,
         phone = COALESCE(EXCLUDED.phone, users.phone),
         rating = COALESCE(EXCLUDED.rating, users.rating),
         status = COALESCE($6, users.status),
         status_reason = CASE WHEN $6::text IS NULL THEN users.status_reason ELSE $7 END,
         vehicle = COALESCE(EXCLUDED.vehicle, users.vehicle),
         updated_at = now()
       RETURNING users.*, (SELECT status FROM old) AS previous_status`,
      [id, p.role, p.name, p.phone ?? null, p.rating ?? null, p.status ?? null, p.reason ?? null, p.vehicle ? JSON.stringify(p.vehicle) : null],
    );
    const row = rows[0]!;
    return { user: toProfile(row), previousStatus: row.previous_status ?? null };
  }

  /** Updates the given fields of an existing profile; null when there is no such user. */
  async update(id: string, p: ProfileWrite): Promise<WriteResult | null> {
    const { rows } = await this.db.query<UserRow>(
      `WITH old AS (SELECT status FROM users WHERE id = $1 FOR UPDATE)
       UPDATE users SET
         role = COALESCE($2, users.role), name = COALESCE($3, users.name), phone = COALESCE($4, users.phone),
         rating = COALESCE($5, users.rating), status = COALESCE($6, users.status),
         status_reason = CASE WHEN $6::text IS NULL THEN users.status_reason ELSE $7 END,
         vehicle = COALESCE($8, users.vehicle), updated_at = now()
       FROM old WHERE users.id = $1
       RETURNING users.*, old.status AS previous_status`,
      [id, p.role ?? null, p.name ?? null, p.phone ?? null, p.rating ?? null, p.status ?? null, p.reason ?? null, p.vehicle ? JSON.stringify(p.vehicle) : null],
    );
    const row = rows[0];
    return row ? { user: toProfile(row), previousStatus: row.previous_status ?? null } : null;
  }
}
