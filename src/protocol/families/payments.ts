import { z } from 'zod';
import { defineInbound, tripIdOf } from '../define.ts';
import { text } from '../schemas.ts';
import { PAYMENT_METHODS, tripId, type PaymentMethod } from './rides.ts';

/**
 * Family C of PROTOCOL.md: payments and wallet (seed 000 "Payment Events").
 * Money is a decimal with two places on the wire, integer minor units inside.
 */

/** A client-chosen key: printable ASCII, bounded. */
const idempotencyKey = text().trim().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const paymentsInbound = {
  /**
   * The trip's passenger retries or switches method after a failure (completed,
   * unpaid trips only). The ack carries the outcome with the same payload as
   * `payment_completed` / `payment_failed`; a refused request (ALREADY_PAID,
   * CONFLICT, …) is `{ success: false }`, or `payment_failed` without an ack.
   */
  process_payment: defineInbound({
    schema: z.object({ tripId, paymentMethod: z.enum(PAYMENT_METHODS).optional(), idempotencyKey: idempotencyKey.optional() }),
    audience: ['passenger'],
    rate: 'default',
    failure: {
      event: 'payment_failed',
      payload: (error, raw) => ({
        tripId: tripIdOf(raw) ?? null, status: 'failed', error: { code: error.code, message: error.message, retryable: false },
        alternativePaymentMethods: [], timestamp: new Date().toISOString(),
      }),
    },
  }),
} as const;

export interface PaymentReceipt {
  receiptNumber: string;
  fare: number;
  platformFee: number;
  total: number;
  /** 85 % of the fare (configurable). */
  driverEarnings: number;
  /** 15 % of the fare (configurable); driverEarnings + platformCommission = fare. */
  platformCommission: number;
}

export interface PaymentProcessingPayload {
  tripId: string; transactionId: string; amount: number; paymentMethod: PaymentMethod; status: 'processing'; message: string; timestamp: string;
}
export interface PaymentCompletedPayload {
  tripId: string; transactionId: string; amount: number; paymentMethod: PaymentMethod; status: 'completed';
  receipt: PaymentReceipt; walletBalance: number; timestamp: string;
}
export interface PaymentFailedPayload {
  tripId: string | null; transactionId?: string; amount?: number; paymentMethod?: PaymentMethod; status: 'failed';
  error: { code: string; message: string; retryable: boolean };
  alternativePaymentMethods: PaymentMethod[]; timestamp: string;
}
export interface PaymentReceivedPayload {
  tripId: string; transactionId: string; amount: number; driverEarnings: number; paymentMethod: PaymentMethod; timestamp: string;
}

export interface PaymentsOutbound {
  payment_processing: (p: PaymentProcessingPayload) => void;
  payment_completed: (p: PaymentCompletedPayload) => void;
  payment_failed: (p: PaymentFailedPayload) => void;
  payment_received: (p: PaymentReceivedPayload) => void;
}

// HTTP bodies (wallet routes).
/** A decimal with at most two places. */
const amount = z.number().finite().positive().max(1_000_000)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'at most two decimal places');
export const walletCreditBody = z.object({ amount, reference: text().trim().min(1).max(128) });
export const walletCreditResult = z.object({ balance: z.number() });
export const walletView = z.object({
  balance: z.number(),
  currency: z.string(),
  entries: z.array(z.object({ transactionId: z.string(), kind: z.enum(['credit', 'charge', 'refund']), reference: z.string(), amount: z.number(), createdAt: z.string() })),
});
