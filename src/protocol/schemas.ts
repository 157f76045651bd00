import { z } from 'zod';

const NUL = '\u0000';
const NO_NUL = 'must not contain NUL (U+0000)';
const MAX_DEPTH = 32;

/**
 * True when `value` holds U+0000 in any string or object key, however deep.
 * PostgreSQL refuses it in text and jsonb, so it would surface as a storage
 * error; the schemas refuse it first. Too deep to walk counts as holding it.
 */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes(NUL) || containsNul(v, depth + 1));
}

/**
 * The one way an inbound string is declared: a string without U+0000.
 * Chain bounds after it (`text().trim().min(1).max(300)`). Outbound shapes
 * (what the server answers) may keep plain `z.string()`.
 */
export const text = () => z.string().refine((s) => !s.includes(NUL), NO_NUL);

/** Free-form JSON from a client (notification data): no U+0000 in any key or string. */
export const json = () => z.unknown().refine((v) => !containsNul(v), NO_NUL);

/** Shared building blocks for payload schemas. Strings are always bounded. */
export const id = text().trim().min(1).max(128);
export const isoTime = z.iso.datetime({ offset: true });
export const finite = z.number().finite();

export const latitude = finite.min(-90).max(90);
export const longitude = finite.min(-180).max(180);
export const latLng = z.object({ latitude, longitude });

/** Events that carry no payload accept nothing, null or an empty object. */
export const noPayload = z.union([z.undefined(), z.null(), z.object({})]).transform(() => undefined);
