import type { LatLng } from '../../core/ride-ports.ts';
import { distanceM } from '../../core/geo.ts';

export interface EtaSettings {
  /** Road distance ≈ great-circle × this. */
  detourFactor: number;
  /** Used when the driver's recent speed is missing or implausible (stopped, GPS noise). */
  urbanSpeedKmh: number;
  /** Below this a reported speed says nothing about the rest of the route. */
  minPlausibleKmh: number;
  maxPlausibleKmh: number;
}

export interface Eta {
  /** Kilometres along the estimated route, two decimals. */
  distanceKm: number;
  /** Whole minutes, at least 1. */
  minutes: number;
}

/** ETA = great-circle × detour factor ÷ speed (recent speed if plausible, else the urban default), floor 1 minute. */
export function estimateEta(from: LatLng, to: LatLng, recentSpeedKmh: number | undefined, s: EtaSettings): Eta {
  const km = (distanceM(from.latitude, from.longitude, to.latitude, to.longitude) * s.detourFactor) / 1000;
  const plausible = recentSpeedKmh !== undefined && recentSpeedKmh >= s.minPlausibleKmh && recentSpeedKmh <= s.maxPlausibleKmh;
  const speed = plausible ? recentSpeedKmh : s.urbanSpeedKmh;
  return { distanceKm: Math.round(km * 100) / 100, minutes: Math.max(1, Math.ceil((km / speed) * 60)) };
}

/** Exponential average of reported speeds, so one noisy reading does not swing the ETA. */
export function smoothSpeed(previous: number | undefined, reported: number | undefined): number | undefined {
  if (reported === undefined) return previous;
  return previous === undefined ? reported : previous * 0.7 + reported * 0.3;
}
