import { distanceM } from '../../core/geo.ts';

/** Limits a fix must respect to be believed. */
export interface FixLimits {
  /** How far ahead of the server's clock a device clock may run. */
  maxFutureSkewMs: number;
  /** Fixes older than this are refused (a replayed or long-buffered position). */
  maxAgeMs: number;
  /** Implied speed between two fixes above this is a teleport. */
  maxSpeedKmh: number;
  /** Distance every jump may add on top of speed × time: GPS scatter. The fix's own `accuracy` raises it. */
  jitterM: number;
}

export interface FixToCheck { at: number; latitude: number; longitude: number; accuracy?: number | undefined }
export interface PreviousFix { at: number; latitude: number; longitude: number }

export const FIX_REJECT_REASONS = ['future', 'too_old', 'out_of_order', 'impossible_jump'] as const;
export type RejectReason = (typeof FIX_REJECT_REASONS)[number];

/**
 * Whether a fix is plausible after the previous accepted one. Pure: the
 * pipeline calls it before touching any state, so a refused fix has no effect.
 * A long silence allows a long jump (speed × time), so a driver whose phone
 * was off is not locked out.
 */
export function checkFix(prev: PreviousFix | undefined, fix: FixToCheck, now: number, limits: FixLimits): RejectReason | null {
  if (fix.at > now + limits.maxFutureSkewMs) return 'future';
  if (fix.at < now - limits.maxAgeMs) return 'too_old';
  if (!prev) return null;
  if (fix.at <= prev.at) return 'out_of_order';
  const moved = distanceM(prev.latitude, prev.longitude, fix.latitude, fix.longitude);
  const allowed = (limits.maxSpeedKmh / 3.6) * ((fix.at - prev.at) / 1000) + Math.max(limits.jitterM, fix.accuracy ?? 0);
  return moved > allowed ? 'impossible_jump' : null;
}

export const REJECT_MESSAGES: Record<RejectReason, string> = {
  future: 'Invalid payload at timestamp: in the future',
  too_old: 'Invalid payload at timestamp: too old',
  out_of_order: 'Invalid payload at timestamp: not after the previous fix',
  impossible_jump: 'Invalid payload at location: implied speed is impossible',
};
