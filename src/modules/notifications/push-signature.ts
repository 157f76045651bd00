import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of every push call (lower case, as Node reports them). */
export const PUSH_HEADERS = {
  signature: 'x-livegate-signature',
  timestamp: 'x-livegate-timestamp',
  idempotencyKey: 'idempotency-key',
} as const;

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`). The
 * timestamp (epoch milliseconds, also sent as `x-livegate-timestamp`) is
 * inside the signed text, so a captured call cannot be replayed later with a
 * fresh timestamp.
 */
export function signPush(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * What a relay does with a call: recompute the signature over the raw body,
 * compare in constant time, and refuse timestamps outside `toleranceMs` of
 * its own clock. (It then dedupes on `idempotency-key`.)
 */
export function verifyPush(
  secret: string,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
  now: number,
  toleranceMs = 5 * 60_000,
): boolean {
  const signature = headers[PUSH_HEADERS.signature];
  const stamp = headers[PUSH_HEADERS.timestamp];
  if (typeof signature !== 'string' || typeof stamp !== 'string' || !/^\d{1,16}$/.test(stamp)) return false;
  const timestamp = Number(stamp);
  if (Math.abs(now - timestamp) > toleranceMs) return false;
  const expected = Buffer.from(signPush(secret, timestamp, rawBody));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
