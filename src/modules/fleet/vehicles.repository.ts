import type { FleetLocation, VehicleStatus, VehicleView } from '../../protocol/families/fleet.ts';
import { coordinates } from '../../protocol/families/locations.ts';
import type { Queryable } from '../../storage/index.ts';
import { toIso } from '../../core/clock.ts';

interface VehicleRow {
  id: string;
  plate_number: string;
  type: string;
  status: VehicleStatus;
  driver_id: string | null;
  fuel_level: number | null;
  low_fuel_alerted: boolean;
  latitude: number | null;
  longitude: number | null;
  speed: number | null;
  heading: number | null;
  located_at: Date | string | null;
  telemetry_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface VehicleFields { plateNumber?: string; type?: string; status?: VehicleStatus; driverId?: string | null; fuelLevel?: number }
export interface PositionReport { latitude: number; longitude: number; speed?: number | undefined; heading?: number | undefined; at: number }
export interface TelemetryReport { at: number; fuelLevel?: number | undefined; status?: VehicleStatus | undefined; location?: PositionReport | undefined }

const ms = (v: Date | string | null) => (v === null ? null : (v instanceof Date ? v : new Date(v)).getTime());

export function toFleetLocation(p: { latitude: number; longitude: number; speed?: number | null | undefined; heading?: number | null | undefined; at: number }): FleetLocation {
  return { ...coordinates.toLatLng(p), speed: p.speed ?? null, heading: p.heading ?? null, timestamp: new Date(p.at).toISOString() };
}

function toView(r: VehicleRow): VehicleView {
  const locatedAt = ms(r.located_at);
  const lastUpdate = Math.max(locatedAt ?? -Infinity, ms(r.telemetry_at) ?? -Infinity);
  return {
    id: r.id,
    plateNumber: r.plate_number,
    type: r.type,
    status: r.status,
    driverId: r.driver_id,
    fuelLevel: r.fuel_level,
    currentLocation: r.latitude !== null && r.longitude !== null && locatedAt !== null
      ? toFleetLocation({ latitude: r.latitude, longitude: r.longitude, speed: r.speed, heading: r.heading, at: locatedAt })
      : null,
    lastUpdate: Number.isFinite(lastUpdate) ? new Date(lastUpdate).toISOString() : null,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

/** SQL for vehicles; the same statements run on PGlite and PostgreSQL. */
export class VehiclesRepository {
  constructor(private readonly db: Queryable) {}

  /** Null when the id, plate or driver is taken (unique constraints decide, not a prior read). */
  async create(id: string, f: Required<Pick<VehicleFields, 'plateNumber' | 'type' | 'status'>> & VehicleFields): Promise<VehicleView | null> {
    const { rows } = await this.db.query<VehicleRow>(
      `INSERT INTO vehicles (id, plate_number, type, status, driver_id, fuel_level) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING RETURNING *`,
      [id, f.plateNumber, f.type, f.status, f.driverId ?? null, f.fuelLevel ?? null],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async get(id: string): Promise<VehicleView | null> {
    const { rows } = await this.db.query<VehicleRow>('SELECT * FROM vehicles WHERE id = $1', [id]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Every driver → vehicle assignment. */
  async assignments(): Promise<Map<string, { vehicleId: string; type: string }>> {
    const { rows } = await this.db.query<{ driver_id: string; id: string; type: string }>('SELECT driver_id, id, type FROM vehicles WHERE driver_id IS NOT NULL');
    return new Map(rows.map((r) => [r.driver_id, { vehicleId: r.id, type: r.type }]));
  }

  async list(status?: VehicleStatus, limit = 5_000): Promise<VehicleView[]> {
    const { rows } = await this.db.query<VehicleRow>(
      `SELECT * FROM vehicles WHERE ($1::text IS NULL OR status = $1) ORDER BY id LIMIT $2`,
      [status ?? null, limit],
    );
    return rows.map(toView);
  }

  /** Changes the given fields; null when there is no such vehicle. Reports the driver it had before. */
  async update(id: string, f: VehicleFields): Promise<{ vehicle: VehicleView; previousDriverId: string | null } | null> {
    const { rows } = await this.db.query<VehicleRow & { previous_driver_id: string | null }>(
      `WITH old AS (SELECT id, driver_id FROM vehicles WHERE id = $1 FOR UPDATE)
       UPDATE vehicles v SET
         plate_number = COALESCE($2, v.plate_number), type = COALESCE($3, v.type), status = COALESCE($4, v.status),
         driver_id = CASE WHEN $5::boolean THEN $6 ELSE v.driver_id END,
         fuel_level = COALESCE($7, v.fuel_level), updated_at = now()
       FROM old WHERE v.id = old.id
       RETURNING v.*, old.driver_id AS previous_driver_id`,
      [id, f.plateNumber ?? null, f.type ?? null, f.status ?? null, f.driverId !== undefined, f.driverId ?? null, f.fuelLevel ?? null],
    );
    const row = rows[0];
    return row ? { vehicle: toView(row), previousDriverId: row.previous_driver_id } : null;
  }

  /**
   * Applies a report unless a newer one was already applied (`applied: false`).
   * The position moves only forward in time, whichever path (telemetry or the
   * driver's fixes) brought the newer one. Null: no such vehicle.
   */
  async applyTelemetry(id: string, t: TelemetryReport): Promise<{ vehicle: VehicleView; applied: boolean; moved: boolean } | null> {
    const loc = t.location;
    const at = new Date(t.at).toISOString();
    const { rows } = await this.db.query<VehicleRow & { moved: boolean }>(
      `WITH old AS (SELECT id, (located_at IS NULL OR located_at <= $8) AND $4::float8 IS NOT NULL AS moves FROM vehicles WHERE id = $1 FOR UPDATE)
       UPDATE vehicles v SET
         fuel_level = COALESCE($2, v.fuel_level), status = COALESCE($3, v.status),
         latitude = CASE WHEN old.moves THEN $4 ELSE v.latitude END, longitude = CASE WHEN old.moves THEN $5 ELSE v.longitude END,
         speed = CASE WHEN old.moves THEN $6 ELSE v.speed END, heading = CASE WHEN old.moves THEN $7 ELSE v.heading END,
         located_at = CASE WHEN old.moves THEN $8 ELSE v.located_at END,
         telemetry_at = $8, updated_at = now()
       FROM old WHERE v.id = old.id AND (v.telemetry_at IS NULL OR v.telemetry_at <= $8)
       RETURNING v.*, old.moves AS moved`,
      [id, t.fuelLevel ?? null, t.status ?? null, loc?.latitude ?? null, loc?.longitude ?? null, loc?.speed ?? null, loc?.heading ?? null, at],
    );
    if (rows[0]) return { vehicle: toView(rows[0]), applied: true, moved: rows[0].moved };
    const current = await this.get(id);
    return current ? { vehicle: current, applied: false, moved: false } : null;
  }

  /**
   * The low-fuel alarm, as one conditional update: it arms (and the caller
   * announces it) only on the transition to below `lowPercent`, and re-arms
   * only above `rearmPercent`. Concurrent reports flip it once.
   */
  async updateLowFuelAlarm(id: string, lowPercent: number, rearmPercent: number): Promise<{ crossedBelow: boolean; fuelLevel: number | null }> {
    const { rows } = await this.db.query<{ low_fuel_alerted: boolean; fuel_level: number | null }>(
      `UPDATE vehicles SET low_fuel_alerted = (fuel_level < $2)
       WHERE id = $1 AND fuel_level IS NOT NULL
         AND ((NOT low_fuel_alerted AND fuel_level < $2) OR (low_fuel_alerted AND fuel_level > $3))
       RETURNING low_fuel_alerted, fuel_level`,
      [id, lowPercent, rearmPercent],
    );
    return { crossedBelow: rows[0]?.low_fuel_alerted === true, fuelLevel: rows[0]?.fuel_level ?? null };
  }

  /** Latest driver-reported position per vehicle, one statement; never moves a vehicle back in time. */
  async movePositions(rows: readonly ({ vehicleId: string } & PositionReport)[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE vehicles v SET latitude = u.lat, longitude = u.lon, speed = u.speed, heading = u.heading, located_at = u.at, updated_at = now()
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::real[], $5::real[], $6::timestamptz[]) AS u(id, lat, lon, speed, heading, at)
       WHERE v.id = u.id AND (v.located_at IS NULL OR v.located_at < u.at)`,
      [
        rows.map((r) => r.vehicleId), rows.map((r) => r.latitude), rows.map((r) => r.longitude),
        rows.map((r) => r.speed ?? null), rows.map((r) => r.heading ?? null), rows.map((r) => new Date(r.at).toISOString()),
      ],
    );
  }
}
