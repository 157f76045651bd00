import type { Queryable } from '../../storage/index.ts';
import { toIso } from '../../core/clock.ts';
import { HISTORY_FROM_T, statusList, toTrip, type TripRow } from './trip-rows.ts';
import { ASSIGNED_STATUSES, type Trip, type TripStatus } from './trip-types.ts';

export type OfferStatus = 'offered' | 'accepted' | 'rejected' | 'expired' | 'closed';

export interface OfferRecord {
  driverId: string;
  wave: number;
  status: OfferStatus;
  expiresAt: string;
}

export interface Candidate { driverId: string; distanceM: number }

export interface WaveClaim {
  /** False when another node (or call) claimed this wave first, or the trip stopped searching. */
  claimed: boolean;
  /** Drivers offered in this wave, nearest first. */
  offered: string[];
  /** Drivers whose unanswered offers from earlier waves this claim expired. */
  expired: string[];
}

/** A trip whose wave deadline has passed. */
export interface DueWave { tripId: string; wave: number }

/** An offer that is live and unanswered, with its (searching) trip. */
export interface OpenOffer { trip: Trip; driverId: string; offeredAt: string; expiresAt: string }

type OpenOfferRow = TripRow & { offer_driver_id: string; offer_offered_at: Date | string; offer_expires_at: Date | string };

/** SQL for dispatch: waves, offers and the search deadline. */
export class OffersRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Claims wave `wave` of a searching trip and records its offers in one
   * statement. The claim is conditional on the previous wave number, so
   * of several nodes sweeping the same due trip exactly one dispatches it.
   * Drivers on a trip are excluded here (in SQL), drivers already offered
   * this trip by the primary key.
   */
  async claimWave(c: { tripId: string; wave: number; at: string; deadline: string; candidates: readonly Candidate[]; limit: number }): Promise<WaveClaim> {
    const { rows } = await this.db.query<{ claimed: number; offered: string[]; expired: string[] }>(
      `WITH t AS (
         UPDATE trips SET wave = $2, wave_expires_at = $4, updated_at = $3
         WHERE id = $1 AND status = 'searching_driver' AND wave = $2 - 1 AND search_expires_at > $3
         RETURNING id),
       old AS (UPDATE trip_offers SET status = 'expired', answered_at = $3
               WHERE trip_id = $1 AND status = 'offered' AND wave < $2 AND EXISTS (SELECT 1 FROM t) RETURNING driver_id),
       ins AS (
         INSERT INTO trip_offers (trip_id, driver_id, wave, distance_m, offered_at, expires_at)
         SELECT $1, c.driver_id, $2, c.distance_m, $3, $4
         FROM unnest($5::text[], $6::int[]) AS c(driver_id, distance_m)
         WHERE EXISTS (SELECT 1 FROM t)
           AND NOT EXISTS (SELECT 1 FROM trips a WHERE a.driver_id = c.driver_id AND a.status IN (${statusList(ASSIGNED_STATUSES)}))
         ORDER BY c.distance_m, c.driver_id
         LIMIT $7
         ON CONFLICT (trip_id, driver_id) DO NOTHING
         RETURNING driver_id, distance_m)
       SELECT (SELECT count(*) FROM t)::int AS claimed,
              ARRAY(SELECT driver_id FROM ins ORDER BY distance_m, driver_id) AS offered,
              ARRAY(SELECT driver_id FROM old ORDER BY driver_id) AS expired`,
      [c.tripId, c.wave, c.at, c.deadline, c.candidates.map((x) => x.driverId), c.candidates.map((x) => Math.round(x.distanceM)), c.limit],
    );
    const row = rows[0]!;
    return { claimed: row.claimed > 0, offered: row.offered ?? [], expired: row.expired ?? [] };
  }

  /** Moves a wave's deadline (a wave that found nobody is retried sooner); only while that wave is current. */
  async setWaveDeadline(tripId: string, wave: number, deadline: string): Promise<void> {
    await this.db.query(`UPDATE trips SET wave_expires_at = $3 WHERE id = $1 AND wave = $2 AND status = 'searching_driver'`, [tripId, wave, deadline]);
  }

  /** Every driver this trip was ever offered to (the next wave skips them). */
  async offeredDrivers(tripId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ driver_id: string }>('SELECT driver_id FROM trip_offers WHERE trip_id = $1', [tripId]);
    return new Set(rows.map((r) => r.driver_id));
  }

  async offerOf(tripId: string, driverId: string): Promise<OfferRecord | null> {
    const { rows } = await this.db.query<{ driver_id: string; wave: number; status: OfferStatus; expires_at: Date | string }>(
      'SELECT driver_id, wave, status, expires_at FROM trip_offers WHERE trip_id = $1 AND driver_id = $2',
      [tripId, driverId],
    );
    const r = rows[0];
    return r ? { driverId: r.driver_id, wave: r.wave, status: r.status, expiresAt: toIso(r.expires_at) } : null;
  }

  /** Records a rejection while the offer is live and the trip still searching; false otherwise. */
  async reject(r: { tripId: string; driverId: string; at: string; reason: string; from: readonly TripStatus[] }): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE trip_offers SET status = 'rejected', answered_at = $3, reject_reason = $4
       WHERE trip_id = $1 AND driver_id = $2 AND status = 'offered' AND expires_at > $3
         AND EXISTS (SELECT 1 FROM trips WHERE id = $1 AND status = ANY($5::text[]))`,
      [r.tripId, r.driverId, r.at, r.reason, [...r.from]],
    );
    return rowCount > 0;
  }

  /** Offers that could still be accepted. */
  async liveOffers(tripId: string, at: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM trip_offers WHERE trip_id = $1 AND status = 'offered' AND expires_at > $2`,
      [tripId, at],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * Offers that could still be accepted and were not answered, oldest first:
   * one driver's (`driverId`), or every driver's made before `offeredBefore`.
   */
  async openOffers(q: { at: string; driverId?: string; offeredBefore?: string; limit: number }): Promise<OpenOffer[]> {
    const { rows } = await this.db.query<OpenOfferRow>(
      `SELECT t.*, o.driver_id AS offer_driver_id, o.offered_at AS offer_offered_at, o.expires_at AS offer_expires_at
       FROM trip_offers o JOIN trips t ON t.id = o.trip_id
       WHERE o.status = 'offered' AND o.expires_at > $1 AND t.status = 'searching_driver'
         AND ($2::text IS NULL OR o.driver_id = $2) AND ($3::timestamptz IS NULL OR o.offered_at <= $3)
       ORDER BY o.offered_at, o.trip_id, o.driver_id LIMIT $4`,
      [q.at, q.driverId ?? null, q.offeredBefore ?? null, q.limit],
    );
    return rows.map((r) => ({ trip: toTrip(r), driverId: r.offer_driver_id, offeredAt: toIso(r.offer_offered_at), expiresAt: toIso(r.offer_expires_at) }));
  }

  /** Searching trips whose wave deadline has passed (candidates only: claiming is conditional). */
  async dueWaves(at: string, limit: number): Promise<DueWave[]> {
    const { rows } = await this.db.query<{ id: string; wave: number }>(
      `SELECT id, wave FROM trips
       WHERE status = 'searching_driver' AND wave_expires_at <= $1 AND search_expires_at > $1
       ORDER BY wave_expires_at LIMIT $2`,
      [at, limit],
    );
    return rows.map((r) => ({ tripId: r.id, wave: r.wave }));
  }

  /**
   * Expires searching trips past their search deadline, with history and
   * closed offers, in one statement. SKIP LOCKED lets several nodes sweep at
   * once without waiting on each other; the status condition makes each trip
   * expire once.
   */
  async expireDue(at: string, limit: number, from: readonly TripStatus[]): Promise<{ trip: Trip; closedOffers: string[] }[]> {
    const { rows } = await this.db.query<TripRow & { closed_offers: string[] }>(
      `WITH due AS (
         SELECT id FROM trips WHERE status IN (${statusList(from)}) AND search_expires_at <= $1
         ORDER BY search_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED),
       t AS (
         UPDATE trips SET previous_status = status, status = 'expired', expired_at = $1, updated_at = $1, wave_expires_at = NULL
         FROM due WHERE trips.id = due.id AND trips.status IN (${statusList(from)})
         RETURNING trips.*),
       h AS (${HISTORY_FROM_T} SELECT id, previous_status, status, 'system', NULL, 'search_timeout', $1 FROM t),
       o AS (UPDATE trip_offers SET status = 'expired', answered_at = $1
             WHERE status = 'offered' AND trip_id IN (SELECT id FROM t) RETURNING trip_id, driver_id)
       SELECT t.*, ARRAY(SELECT o.driver_id FROM o WHERE o.trip_id = t.id ORDER BY o.driver_id) AS closed_offers FROM t`,
      [at, limit],
    );
    return rows.map((r) => ({ trip: toTrip(r), closedOffers: r.closed_offers ?? [] }));
  }
}
