import type { Queryable } from '../../storage/index.ts';
import type { Alert, AlertSeverity } from './alert-types.ts';
import { toIso } from '../../core/clock.ts';

interface AlertRow {
  id: string;
  source: Alert['source'];
  severity: AlertSeverity;
  title: string;
  message: string;
  latitude: number;
  longitude: number;
  address: string | null;
  user_id: string | null;
  raised_by: string;
  vehicle_id: string | null;
  trip_id: string | null;
  unverified_trip_id: string | null;
  auto_expire: boolean;
  created_at: Date | string;
  acknowledged_by: string | null;
  acknowledged_at: Date | string | null;
}


function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    source: r.source,
    severity: r.severity,
    title: r.title,
    message: r.message,
    location: r.address === null ? { latitude: r.latitude, longitude: r.longitude } : { latitude: r.latitude, longitude: r.longitude, address: r.address },
    userId: r.user_id,
    raisedBy: r.raised_by,
    vehicleId: r.vehicle_id,
    tripId: r.trip_id,
    unverifiedTripId: r.unverified_trip_id,
    autoExpire: r.auto_expire,
    createdAt: toIso(r.created_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at === null ? null : toIso(r.acknowledged_at),
  };
}

/** SQL for alerts; acknowledgement is one conditional update. */
export class AlertsRepository {
  constructor(private readonly db: Queryable) {}

  async insert(a: Alert): Promise<void> {
    await this.db.query(
      `INSERT INTO alerts (id, source, severity, title, message, latitude, longitude, address, user_id, raised_by, vehicle_id, trip_id, unverified_trip_id, auto_expire, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::timestamptz)`,
      [a.id, a.source, a.severity, a.title, a.message, a.location.latitude, a.location.longitude, a.location.address ?? null,
        a.userId, a.raisedBy, a.vehicleId, a.tripId, a.unverifiedTripId, a.autoExpire, a.createdAt],
    );
  }

  async get(id: string): Promise<Alert | null> {
    const { rows } = await this.db.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** The first acknowledgement wins; later ones return null (read the alert to see who won). */
  async acknowledge(id: string, by: string, at: string): Promise<Alert | null> {
    const { rows } = await this.db.query<AlertRow>(
      'UPDATE alerts SET acknowledged_by = $2, acknowledged_at = $3::timestamptz WHERE id = $1 AND acknowledged_at IS NULL RETURNING *',
      [id, by, at],
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** Unacknowledged alerts, newest first; auto-expiring ones only when raised after `expireBefore`. */
  async open(expireBefore: string, limit: number): Promise<Alert[]> {
    const { rows } = await this.db.query<AlertRow>(
      `SELECT * FROM alerts WHERE acknowledged_at IS NULL AND (NOT auto_expire OR created_at > $1::timestamptz)
       ORDER BY created_at DESC LIMIT $2`,
      [expireBefore, limit],
    );
    return rows.map(toAlert);
  }

  async list(status: 'open' | 'acknowledged' | 'all', limit: number): Promise<Alert[]> {
    const where = status === 'open' ? 'WHERE acknowledged_at IS NULL' : status === 'acknowledged' ? 'WHERE acknowledged_at IS NOT NULL' : '';
    const { rows } = await this.db.query<AlertRow>(`SELECT * FROM alerts ${where} ORDER BY created_at DESC LIMIT $1`, [limit]);
    return rows.map(toAlert);
  }
}
