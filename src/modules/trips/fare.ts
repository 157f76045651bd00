import { distanceM } from '../../core/geo.ts';
import type { LatLng } from '../../core/ride-ports.ts';
import type { Tariff, TripsSettings } from './trip-settings.ts';

/** a / b rounded half up, for non-negative integers (money stays integral). */
export function divRound(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

/** Fare in minor units: base + per km + per minute, at least the minimum. */
export function fareMinor(tariff: Tariff, distanceMeters: number, durationSeconds: number): number {
  const m = Math.max(0, Math.round(distanceMeters));
  const s = Math.max(0, Math.round(durationSeconds));
  const total = tariff.baseMinor + divRound(tariff.perKmMinor * m, 1000) + divRound(tariff.perMinuteMinor * s, 60);
  return Math.max(total, tariff.minimumMinor);
}

export interface RouteEstimate { distanceM: number; durationS: number }

/** Road distance from the great-circle distance and the detour factor; duration from the urban speed. */
export function estimateRoute(settings: Pick<TripsSettings, 'detourFactor' | 'urbanSpeedKmh'>, from: LatLng, to: LatLng): RouteEstimate {
  const road = distanceM(from.latitude, from.longitude, to.latitude, to.longitude) * settings.detourFactor;
  return { distanceM: Math.round(road), durationS: Math.ceil((road / 1000 / settings.urbanSpeedKmh) * 3600) };
}

/** Minutes to cover `from`→`to` at the urban speed, rounded up. */
export function etaMinutes(settings: Pick<TripsSettings, 'detourFactor' | 'urbanSpeedKmh'>, from: LatLng, to: LatLng): number {
  return Math.ceil(estimateRoute(settings, from, to).durationS / 60);
}

/** GPS gaps shorten a recorded track, so a report may exceed it by this much before it is clamped. */
const TRACK_SLACK_RATIO = 1.15;
const TRACK_SLACK_M = 500;
/** No road trip covers ground faster than this on average; bounds a report when no track exists. */
const MAX_PLAUSIBLE_KMH = 200;

export interface BilledTrip { distanceM: number; durationS: number; reportedDistanceM: number | null }

/**
 * What the trip is billed for. The reported distance is capped by the
 * recorded track (when the location pipeline has one; a sparse track never
 * caps below the trip's own estimate, so a driver whose app stopped sending
 * fixes is not under-paid) and by a plausible speed over the measured time;
 * the duration never exceeds what the server measured between start and
 * completion. Without a report, the track, else the estimate, is used.
 */
export function billedTrip(input: {
  reportedKm: number | undefined;
  reportedMinutes: number | undefined;
  trackKm: number | null;
  elapsedS: number;
  estimatedDistanceM: number;
}): BilledTrip {
  const elapsedS = Math.max(0, Math.round(input.elapsedS));
  const reportedM = input.reportedKm === undefined ? null : Math.round(input.reportedKm * 1000);
  const trackM = input.trackKm === null ? null : Math.round(input.trackKm * 1000);
  let distance = reportedM ?? trackM ?? input.estimatedDistanceM;
  if (trackM !== null) distance = Math.min(distance, Math.max(Math.round(trackM * TRACK_SLACK_RATIO) + TRACK_SLACK_M, input.estimatedDistanceM));
  distance = Math.min(distance, Math.round((MAX_PLAUSIBLE_KMH * 1000 * elapsedS) / 3600) + TRACK_SLACK_M);
  const reportedS = input.reportedMinutes === undefined ? elapsedS : Math.round(input.reportedMinutes * 60);
  // Minute granularity on the wire: allow the report to round up to the next minute.
  const durationS = Math.min(reportedS, Math.ceil(elapsedS / 60) * 60);
  return { distanceM: Math.max(0, distance), durationS: Math.max(0, durationS), reportedDistanceM: reportedM };
}

/** Minor units → decimal with two places for the wire. */
export const toMoney = (minor: number): number => minor / 100;
/** Metres → kilometres with two places. */
export const toKm = (m: number): number => Math.round(m / 10) / 100;
/** Seconds → whole minutes (estimates round up, so a driver is never promised less). */
export const toMinutesCeil = (s: number): number => Math.ceil(s / 60);
export const toMinutes = (s: number): number => Math.round(s / 60);
