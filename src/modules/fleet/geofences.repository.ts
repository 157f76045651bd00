import type { GeofenceView } from '../../protocol/families/fleet.ts';
import type { Queryable } from '../../storage/index.ts';
import type { FenceShape } from './geofence-geometry.ts';
import { toIso } from '../../core/clock.ts';

interface GeofenceRow {
  id: string;
  name: string;
  kind: 'circle' | 'polygon';
  center_lat: number | null;
  center_lon: number | null;
  radius_m: number | null;
  polygon: [number, number][] | null;
  created_at: Date | string;
}

export interface Geofence { id: string; name: string; shape: FenceShape; createdAt: string }


function toGeofence(r: GeofenceRow): Geofence {
  const shape: FenceShape = r.kind === 'circle'
    ? { kind: 'circle', center: { latitude: r.center_lat!, longitude: r.center_lon! }, radiusM: r.radius_m! }
    : { kind: 'polygon', ring: r.polygon! };
  return { id: r.id, name: r.name, shape, createdAt: toIso(r.created_at) };
}

export function toGeofenceView(g: Geofence): GeofenceView {
  return {
    id: g.id,
    name: g.name,
    circle: g.shape.kind === 'circle' ? { center: g.shape.center, radiusM: g.shape.radiusM } : null,
    polygon: g.shape.kind === 'polygon' ? g.shape.ring : null,
    createdAt: g.createdAt,
  };
}

/** SQL for geofences and per-subject presence; the same statements run on PGlite and PostgreSQL. */
export class GeofencesRepository {
  constructor(private readonly db: Queryable) {}

  async create(id: string, name: string, shape: FenceShape): Promise<Geofence> {
    const circle = shape.kind === 'circle' ? shape : undefined;
    const { rows } = await this.db.query<GeofenceRow>(
      `INSERT INTO geofences (id, name, kind, center_lat, center_lon, radius_m, polygon) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING *`,
      [id, name, shape.kind, circle?.center.latitude ?? null, circle?.center.longitude ?? null, circle?.radiusM ?? null, shape.kind === 'polygon' ? JSON.stringify(shape.ring) : null],
    );
    return toGeofence(rows[0]!);
  }

  async list(): Promise<Geofence[]> {
    const { rows } = await this.db.query<GeofenceRow>('SELECT * FROM geofences ORDER BY created_at, id');
    return rows.map(toGeofence);
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM geofences WHERE id = $1', [id]);
    return rowCount > 0;
  }

  /** Every subject inside some fence, with those fences, as stored. */
  async insideAll(): Promise<Map<string, Set<string>>> {
    const { rows } = await this.db.query<{ subject: string; geofence_id: string }>('SELECT subject, geofence_id FROM geofence_presence WHERE inside');
    const out = new Map<string, Set<string>>();
    for (const r of rows) {
      const set = out.get(r.subject) ?? new Set<string>();
      set.add(r.geofence_id);
      out.set(r.subject, set);
    }
    return out;
  }

  /**
   * Records a crossing; true only for the caller whose write changed the
   * stored state (so one crossing is announced once, whichever nodes saw it).
   * An older fix never overwrites a newer crossing.
   */
  async cross(subject: string, geofenceId: string, inside: boolean, at: number): Promise<boolean> {
    const when = new Date(at).toISOString();
    if (!inside) {
      const { rowCount } = await this.db.query(
        'UPDATE geofence_presence SET inside = false, changed_at = $3 WHERE subject = $1 AND geofence_id = $2 AND inside AND changed_at <= $3',
        [subject, geofenceId, when],
      );
      return rowCount > 0;
    }
    try {
      const { rowCount } = await this.db.query(
        `INSERT INTO geofence_presence (subject, geofence_id, inside, changed_at) VALUES ($1, $2, true, $3)
         ON CONFLICT (subject, geofence_id) DO UPDATE SET inside = true, changed_at = EXCLUDED.changed_at
         WHERE NOT geofence_presence.inside AND geofence_presence.changed_at <= EXCLUDED.changed_at`,
        [subject, geofenceId, when],
      );
      return rowCount > 0;
    } catch (err) {
      // The fence was deleted a moment ago: nothing to enter.
      if ((err as { code?: string }).code === '23503') return false;
      throw err;
    }
  }
}
