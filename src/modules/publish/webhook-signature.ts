import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header: `Livegate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawBody">` (several `v1` allowed while a secret rotates). */
export const SIGNATURE_HEADER = 'livegate-signature';
export const SIGNATURE_TOLERANCE_S = 300;

/** Signs `rawBody` at `t` (unix seconds): the header value a sender puts on the request. */
export function signWebhook(secret: string, rawBody: string | Buffer, t: number): string {
  const mac = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return `t=${t},v1=${mac}`;
}

/**
 * True when `header` carries a timestamp within the tolerance of `nowS`
 * and a `v1` HMAC of `${t}.${rawBody}` under `secret`, compared in constant time.
 */
export function verifyWebhook(secret: string, rawBody: Buffer, header: string | undefined, nowS: number, toleranceS = SIGNATURE_TOLERANCE_S): boolean {
  if (!header || header.length > 1024) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/i.test(v)) candidates.push(v.toLowerCase());
  }
  if (t === undefined || candidates.length === 0 || Math.abs(nowS - t) > toleranceS) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest();
  return candidates.some((hex) => timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}
