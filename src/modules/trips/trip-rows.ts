import { TRIP_STATUSES } from '../../protocol/families/rides.ts';
import type { CancelledBy, PaymentMethod, PaymentStatus, Trip, TripStatus, TripStatusChange, TripType, ActorRole } from './trip-types.ts';
import { toIso } from '../../core/clock.ts';

/** A `trips` row as both drivers return it (timestamptz as Date, or a string). */
export interface TripRow {
  id: string;
  status: TripStatus;
  previous_status: TripStatus | null;
  passenger_id: string;
  passenger_name: string;
  driver_id: string | null;
  trip_type: TripType;
  payment_method: PaymentMethod;
  pickup_address: string;
  pickup_lat: number;
  pickup_lng: number;
  dropoff_address: string;
  dropoff_lat: number;
  dropoff_lng: number;
  notes: string | null;
  client_estimated_fare_minor: number | null;
  estimated_fare_minor: number;
  estimated_distance_m: number;
  estimated_duration_s: number;
  wave: number;
  wave_expires_at: Date | string | null;
  search_expires_at: Date | string;
  accept_eta_min: number | null;
  accept_lat: number | null;
  accept_lng: number | null;
  actual_fare_minor: number | null;
  actual_distance_m: number | null;
  actual_duration_s: number | null;
  reported_distance_m: number | null;
  payment_status: PaymentStatus | null;
  requested_at: Date | string;
  accepted_at: Date | string | null;
  arrived_at: Date | string | null;
  started_at: Date | string | null;
  completed_at: Date | string | null;
  cancelled_at: Date | string | null;
  cancelled_by: CancelledBy | null;
  cancel_reason: string | null;
  expired_at: Date | string | null;
  updated_at: Date | string;
}

export interface HistoryRow {
  from_status: TripStatus | null;
  to_status: TripStatus;
  actor_role: ActorRole;
  actor_id: string | null;
  reason: string | null;
  at: Date | string;
}

const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : toIso(v));

export function toTrip(r: TripRow): Trip {
  return {
    id: r.id,
    status: r.status,
    previousStatus: r.previous_status,
    passengerId: r.passenger_id,
    passengerName: r.passenger_name,
    driverId: r.driver_id,
    tripType: r.trip_type,
    paymentMethod: r.payment_method,
    pickup: { address: r.pickup_address, latitude: r.pickup_lat, longitude: r.pickup_lng },
    dropoff: { address: r.dropoff_address, latitude: r.dropoff_lat, longitude: r.dropoff_lng },
    notes: r.notes,
    clientEstimatedFareMinor: r.client_estimated_fare_minor,
    estimatedFareMinor: r.estimated_fare_minor,
    estimatedDistanceM: r.estimated_distance_m,
    estimatedDurationS: r.estimated_duration_s,
    wave: r.wave,
    waveExpiresAt: isoOrNull(r.wave_expires_at),
    searchExpiresAt: toIso(r.search_expires_at),
    acceptEtaMin: r.accept_eta_min,
    acceptLocation: r.accept_lat === null || r.accept_lng === null ? null : { latitude: r.accept_lat, longitude: r.accept_lng },
    actualFareMinor: r.actual_fare_minor,
    actualDistanceM: r.actual_distance_m,
    actualDurationS: r.actual_duration_s,
    reportedDistanceM: r.reported_distance_m,
    paymentStatus: r.payment_status,
    requestedAt: toIso(r.requested_at),
    acceptedAt: isoOrNull(r.accepted_at),
    arrivedAt: isoOrNull(r.arrived_at),
    startedAt: isoOrNull(r.started_at),
    completedAt: isoOrNull(r.completed_at),
    cancelledAt: isoOrNull(r.cancelled_at),
    cancelledBy: r.cancelled_by,
    cancelReason: r.cancel_reason,
    expiredAt: isoOrNull(r.expired_at),
    updatedAt: toIso(r.updated_at),
  };
}

export function toStatusChange(r: HistoryRow): TripStatusChange {
  return { from: r.from_status, to: r.to_status, actorRole: r.actor_role, actorId: r.actor_id, reason: r.reason, at: toIso(r.at) };
}

/** The history row every status change writes, in the same statement as the change (`t` is the updated trip). */
export const HISTORY_FROM_T = `INSERT INTO trip_status_history (trip_id, from_status, to_status, actor_role, actor_id, reason, at)`;

/** PostgreSQL's unique_violation, with the constraint that raised it. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' ? String(e.constraint ?? '') : undefined;
}

/**
 * Statuses as an SQL literal list (`'a', 'b'`). Used where a partial index
 * must match: the planner proves `status IN ('accepted', …)` implies the
 * index predicate, but not `status = ANY($1)`. Only known statuses pass.
 */
export function statusList(statuses: readonly TripStatus[]): string {
  for (const s of statuses) if (!(TRIP_STATUSES as readonly string[]).includes(s)) throw new Error(`unknown trip status ${s}`);
  return statuses.map((s) => `'${s}'`).join(', ');
}
