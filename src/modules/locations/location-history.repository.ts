import type { Queryable } from '../../storage/index.ts';

/** One recorded fix. A driver's fix while assigned to a vehicle carries both ids. */
export interface HistoryRow {
  driverId: string | null;
  vehicleId: string | null;
  /** When the fix was taken, epoch ms. */
  at: number;
  latitude: number;
  longitude: number;
  heading?: number | undefined;
  speed?: number | undefined;
  accuracy?: number | undefined;
  altitude?: number | undefined;
}

export type TrackSubject = { driverId: string } | { vehicleId: string };

export interface TrackPoint {
  at: number;
  latitude: number;
  longitude: number;
  heading: number | null;
  speed: number | null;
  accuracy: number | null;
}

interface PointRow { recorded_at: Date | string; latitude: number; longitude: number; heading: number | null; speed: number | null; accuracy: number | null }

const orNull = (v: number | undefined) => (v === undefined ? null : v);

/** SQL for `location_history`; the same statements run on PGlite and PostgreSQL. */
export class LocationHistoryRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * One multi-row INSERT for the whole batch: columns travel as arrays and
   * `unnest` zips them, so the statement has nine parameters whatever the
   * batch size (no 65,535-parameter ceiling, one plan).
   */
  async insertBatch(rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO location_history (driver_id, vehicle_id, recorded_at, latitude, longitude, heading, speed, accuracy, altitude)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[], $6::real[], $7::real[], $8::real[], $9::real[])`,
      [
        rows.map((r) => r.driverId),
        rows.map((r) => r.vehicleId),
        rows.map((r) => new Date(r.at).toISOString()),
        rows.map((r) => r.latitude),
        rows.map((r) => r.longitude),
        rows.map((r) => orNull(r.heading)),
        rows.map((r) => orNull(r.speed)),
        rows.map((r) => orNull(r.accuracy)),
        rows.map((r) => orNull(r.altitude)),
      ],
    );
  }

  /**
   * Up to `limit` points of one subject in time order, from `from` (inclusive,
   * or exclusive with `after`) to `to` (inclusive). Served by the partial
   * (subject, recorded_at) index: one index range scan per page.
   */
  async page(subject: TrackSubject, from: number, to: number, limit: number, after = false): Promise<TrackPoint[]> {
    const [column, value] = 'driverId' in subject ? ['driver_id', subject.driverId] : ['vehicle_id', subject.vehicleId];
    const { rows } = await this.db.query<PointRow>(
      `SELECT recorded_at, latitude, longitude, heading, speed, accuracy FROM location_history
       WHERE ${column} = $1 AND recorded_at ${after ? '>' : '>='} $2 AND recorded_at <= $3
       ORDER BY recorded_at LIMIT $4`,
      [value, new Date(from).toISOString(), new Date(to).toISOString(), limit],
    );
    return rows.map((r) => ({
      at: (r.recorded_at instanceof Date ? r.recorded_at : new Date(r.recorded_at)).getTime(),
      latitude: r.latitude,
      longitude: r.longitude,
      heading: r.heading,
      speed: r.speed,
      accuracy: r.accuracy,
    }));
  }
}
