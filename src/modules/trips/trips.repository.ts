import type { LatLng } from '../../core/ride-ports.ts';
import type { Queryable } from '../../storage/index.ts';
import type { Candidate } from './offers.repository.ts';
import { HISTORY_FROM_T, statusList, toStatusChange, toTrip, type HistoryRow, type TripRow } from './trip-rows.ts';
import { ASSIGNED_STATUSES, type ActorRole, type CancelledBy, type PaymentMethod, type Place, type Trip, type TripStatus, type TripStatusChange, type TripType } from './trip-types.ts';

export interface NewTrip {
  id: string;
  passengerId: string;
  passengerName: string;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  pickup: Place;
  dropoff: Place;
  notes: string | null;
  clientEstimatedFareMinor: number | null;
  estimatedFareMinor: number;
  estimatedDistanceM: number;
  estimatedDurationS: number;
  requestedAt: string;
  searchExpiresAt: string;
  /** Offers of wave 1, made in the same statement; null = no candidates, the first wave is due at once. */
  firstWave: { candidates: readonly Candidate[]; limit: number; deadline: string } | null;
}

/** Columns a transition may set besides the status; the names are fixed here, the values are parameters. */
export interface TransitionFields {
  arrived_at?: string;
  started_at?: string;
  completed_at?: string;
  cancelled_at?: string;
  cancelled_by?: CancelledBy;
  cancel_reason?: string;
  expired_at?: string;
  actual_fare_minor?: number;
  actual_distance_m?: number;
  actual_duration_s?: number;
  reported_distance_m?: number | null;
  payment_status?: 'pending';
}

export interface TransitionRequest {
  tripId: string;
  to: TripStatus;
  from: readonly TripStatus[];
  at: string;
  /** Only when the trip's passenger is this user. */
  passengerId?: string | undefined;
  /** Only when the trip's assigned driver is this user. */
  driverId?: string | undefined;
  set: TransitionFields;
  actorRole: ActorRole;
  actorId: string | null;
  reason: string | null;
}

/** A changed trip and the drivers whose open offers the change closed. */
export interface Changed { trip: Trip; closedOffers: string[] }

interface ChangedRow extends TripRow { closed_offers: string[] }
const changed = (r: ChangedRow): Changed => ({ trip: toTrip(r), closedOffers: r.closed_offers ?? [] });

/** SQL for trips and their history; the same statements run on PGlite and PostgreSQL. */
export class TripsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Inserts a trip, its first history row and the offers of its first wave
   * in one statement (nobody else can know the trip yet, so the wave needs no
   * claim). The passenger index rejects a second active trip.
   */
  async insert(t: NewTrip): Promise<{ trip: Trip; offered: string[] }> {
    const wave = t.firstWave;
    const { rows } = await this.db.query<TripRow & { offered: string[] }>(
      `WITH t AS (
         INSERT INTO trips (id, status, passenger_id, trip_type, payment_method, pickup_address, pickup_lat, pickup_lng,
           dropoff_address, dropoff_lat, dropoff_lng, notes, client_estimated_fare_minor, estimated_fare_minor,
           estimated_distance_m, estimated_duration_s, wave, wave_expires_at, search_expires_at, requested_at, updated_at, passenger_name)
         VALUES ($1, 'searching_driver', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $19, COALESCE($20::timestamptz, $16::timestamptz), $17, $16, $16, $18)
         RETURNING *),
       h AS (${HISTORY_FROM_T} SELECT id, NULL, status, 'passenger', passenger_id, NULL, requested_at FROM t),
       ins AS (
         INSERT INTO trip_offers (trip_id, driver_id, wave, distance_m, offered_at, expires_at)
         SELECT t.id, c.driver_id, 1, c.distance_m, t.requested_at, t.wave_expires_at
         FROM t, unnest($21::text[], $22::int[]) AS c(driver_id, distance_m)
         WHERE NOT EXISTS (SELECT 1 FROM trips a WHERE a.driver_id = c.driver_id AND a.status IN (${statusList(ASSIGNED_STATUSES)}))
         ORDER BY c.distance_m, c.driver_id
         LIMIT $23
         RETURNING driver_id, distance_m)
       SELECT t.*, ARRAY(SELECT driver_id FROM ins ORDER BY distance_m, driver_id) AS offered FROM t`,
      [t.id, t.passengerId, t.tripType, t.paymentMethod, t.pickup.address, t.pickup.latitude, t.pickup.longitude, t.dropoff.address,
        t.dropoff.latitude, t.dropoff.longitude, t.notes, t.clientEstimatedFareMinor, t.estimatedFareMinor, t.estimatedDistanceM,
        t.estimatedDurationS, t.requestedAt, t.searchExpiresAt, t.passengerName, wave ? 1 : 0, wave?.deadline ?? null,
        (wave?.candidates ?? []).map((c) => c.driverId), (wave?.candidates ?? []).map((c) => Math.round(c.distanceM)), wave?.limit ?? 0],
    );
    const row = rows[0]!;
    return { trip: toTrip(row), offered: row.offered ?? [] };
  }

  async get(id: string): Promise<Trip | null> {
    const { rows } = await this.db.query<TripRow>('SELECT * FROM trips WHERE id = $1', [id]);
    return rows[0] ? toTrip(rows[0]) : null;
  }

  async history(id: string): Promise<TripStatusChange[]> {
    const { rows } = await this.db.query<HistoryRow>(
      'SELECT from_status, to_status, actor_role, actor_id, reason, at FROM trip_status_history WHERE trip_id = $1 ORDER BY id',
      [id],
    );
    return rows.map(toStatusChange);
  }

  /**
   * One conditional UPDATE: the trip moves to `to` only from one of `from`
   * (and, when given, only for its own passenger or assigned driver). The
   * history row and the closing of open offers are part of the same
   * statement. Null when the condition did not hold.
   */
  async transition(r: TransitionRequest): Promise<Changed | null> {
    const entries = Object.entries(r.set) as [keyof TransitionFields, unknown][];
    const base = 9;
    const extra = entries.map(([column, _], i) => `, ${column} = $${base + 1 + i}`).join('');
    const { rows } = await this.db.query<ChangedRow>(
      `WITH t AS (
         UPDATE trips SET previous_status = status, status = $2, updated_at = $3, wave_expires_at = NULL${extra}
         WHERE id = $1 AND status = ANY($4::text[])
           AND ($5::text IS NULL OR passenger_id = $5) AND ($6::text IS NULL OR driver_id = $6)
         RETURNING *),
       h AS (${HISTORY_FROM_T} SELECT id, previous_status, status, $7, $8, $9, $3 FROM t),
       o AS (UPDATE trip_offers SET status = 'closed', answered_at = $3
             WHERE trip_id = $1 AND status = 'offered' AND EXISTS (SELECT 1 FROM t) RETURNING driver_id)
       SELECT t.*, ARRAY(SELECT driver_id FROM o ORDER BY driver_id) AS closed_offers FROM t`,
      [r.tripId, r.to, r.at, [...r.from], r.passengerId ?? null, r.driverId ?? null, r.actorRole, r.actorId, r.reason, ...entries.map(([, v]) => v)],
    );
    return rows[0] ? changed(rows[0]) : null;
  }

  /**
   * First accept wins: one conditional UPDATE that names the state it expects
   * and requires a live offer for this driver. The winner's offer is marked
   * accepted and every other open offer closed in the same statement. Null
   * for every loser. A driver already on another trip fails on
   * `trips_one_active_per_driver`.
   */
  async accept(a: { tripId: string; driverId: string; at: string; from: readonly TripStatus[]; etaMin: number | null; location: LatLng | null }): Promise<Changed | null> {
    const { rows } = await this.db.query<ChangedRow>(
      `WITH t AS (
         UPDATE trips SET previous_status = status, status = 'accepted', driver_id = $2, accepted_at = $3, updated_at = $3,
           wave_expires_at = NULL, accept_eta_min = $5, accept_lat = $6, accept_lng = $7
         WHERE id = $1 AND status = ANY($4::text[])
           AND EXISTS (SELECT 1 FROM trip_offers o WHERE o.trip_id = $1 AND o.driver_id = $2 AND o.status = 'offered' AND o.expires_at > $3)
         RETURNING *),
       h AS (${HISTORY_FROM_T} SELECT id, previous_status, status, 'driver', $2, NULL, $3 FROM t),
       mine AS (UPDATE trip_offers SET status = 'accepted', answered_at = $3
                WHERE trip_id = $1 AND driver_id = $2 AND EXISTS (SELECT 1 FROM t)),
       o AS (UPDATE trip_offers SET status = 'closed', answered_at = $3
             WHERE trip_id = $1 AND driver_id <> $2 AND status = 'offered' AND EXISTS (SELECT 1 FROM t) RETURNING driver_id)
       SELECT t.*, ARRAY(SELECT driver_id FROM o ORDER BY driver_id) AS closed_offers FROM t`,
      [a.tripId, a.driverId, a.at, [...a.from], a.etaMin, a.location?.latitude ?? null, a.location?.longitude ?? null],
    );
    return rows[0] ? changed(rows[0]) : null;
  }

  /** The driver's trip in progress (accepted, arrived or started), if any. */
  async activeOfDriver(driverId: string): Promise<Trip | null> {
    const { rows } = await this.db.query<TripRow>(`SELECT * FROM trips WHERE driver_id = $1 AND status IN (${statusList(ASSIGNED_STATUSES)})`, [driverId]);
    return rows[0] ? toTrip(rows[0]) : null;
  }

  /** True when `passengerId` rides with `driverId` right now. */
  async ridesWith(passengerId: string, driverId: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM trips WHERE driver_id = $1 AND passenger_id = $2 AND status IN (${statusList(ASSIGNED_STATUSES)})`,
      [driverId, passengerId],
    );
    return rows.length > 0;
  }
}
