import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GatewaySettings } from './payment-settings.ts';

/** Headers of every gateway call (lower case, as Node reports them). */
export const GATEWAY_HEADERS = {
  signature: 'x-livegate-signature',
  timestamp: 'x-livegate-timestamp',
  idempotencyKey: 'idempotency-key',
} as const;

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${rawBody}`): the timestamp is signed so a captured call cannot be replayed later. */
export function signGatewayBody(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** What a gateway does with a call: recompute and compare in constant time. */
export function verifyGatewayBody(secret: string, timestamp: string, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(signGatewayBody(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface ChargeRequest {
  /** Derived from the payment attempt: a resumed attempt sends the same key, so the gateway charges once. */
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  tripId: string;
  passengerId: string;
}

/**
 * `approved`: charged. `declined`: the gateway refused (final for this attempt).
 * `unknown`: timeout, network error or 5xx — the charge may or may not have
 * happened, so the attempt is resumed with the same key, never replaced.
 */
export type ChargeOutcome =
  | { kind: 'approved'; reference: string }
  | { kind: 'declined'; reason: string; insufficientFunds: boolean }
  | { kind: 'unknown'; reason: string };

/** An external gateway (ebs, cyberpay) over HTTP: signed JSON body, idempotency key header, timeout. */
export class PaymentGateway {
  constructor(readonly name: string, private readonly settings: GatewaySettings, private readonly now: () => number) {}

  async charge(req: ChargeRequest): Promise<ChargeOutcome> {
    const body = JSON.stringify({ amount: req.amountMinor / 100, amountMinor: req.amountMinor, currency: req.currency, reference: req.tripId, customer: req.passengerId });
    const timestamp = this.now();
    let res: Response;
    try {
      res = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [GATEWAY_HEADERS.idempotencyKey]: req.idempotencyKey,
          [GATEWAY_HEADERS.timestamp]: String(timestamp),
          [GATEWAY_HEADERS.signature]: signGatewayBody(this.settings.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (err) {
      return { kind: 'unknown', reason: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network error' };
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      return { kind: 'unknown', reason: `gateway status ${res.status}` };
    }
    const answer = (await res.json().catch(() => null)) as { status?: unknown; reference?: unknown; reason?: unknown } | null;
    if (res.ok && answer?.status === 'approved') return { kind: 'approved', reference: String(answer.reference ?? '').slice(0, 128) };
    const reason = typeof answer?.reason === 'string' ? answer.reason.slice(0, 200) : `gateway status ${res.status}`;
    return { kind: 'declined', reason, insufficientFunds: reason === 'insufficient_funds' };
  }
}
