import { z } from 'zod';
import { defineInbound, defineOutbound, tripIdOf, type OutboundEvents } from '../define.ts';
import { isoTime, text } from '../schemas.ts';
import { PAYMENT_METHODS, tripId } from './rides.ts';

/**
 * Family C: payments and wallet (seed 000 "Payment Events").
 * Money is a decimal with two places on the wire, integer minor units inside.
 */

/** A client-chosen key: printable ASCII, bounded. */
const idempotencyKey = text().trim().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').describe('printable ASCII without spaces');

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
    answers: ['payment_processing', 'payment_completed', 'payment_failed'],
  }),
} as const;

const money = z.number().describe('decimal, two places');
const method = z.enum(PAYMENT_METHODS);

export const paymentReceipt = z.object({
  receiptNumber: z.string(),
  fare: money,
  platformFee: money,
  total: money,
  driverEarnings: money.describe('85 % of the fare (configurable)'),
  platformCommission: money.describe('15 % of the fare (configurable); driverEarnings + platformCommission = fare'),
});
export const paymentProcessingPayload = z.object({
  tripId: z.string(), transactionId: z.string(), amount: money, paymentMethod: method, status: z.literal('processing'), message: z.string(), timestamp: isoTime,
});
export const paymentCompletedPayload = z.object({
  tripId: z.string(), transactionId: z.string(), amount: money, paymentMethod: method, status: z.literal('completed'),
  receipt: paymentReceipt, walletBalance: money.describe('the passenger\'s balance after the charge'), timestamp: isoTime,
});
export const paymentFailedPayload = z.object({
  tripId: z.string().nullable(), transactionId: z.string().optional(), amount: money.optional(), paymentMethod: method.optional(), status: z.literal('failed'),
  error: z.object({ code: z.string().describe('an error code'), message: z.string(), retryable: z.boolean() }),
  alternativePaymentMethods: z.array(method), timestamp: isoTime,
});
export const paymentReceivedPayload = z.object({
  tripId: z.string(), transactionId: z.string(), amount: money, driverEarnings: money, paymentMethod: method, timestamp: isoTime,
});
export type PaymentReceipt = z.output<typeof paymentReceipt>;
export type PaymentProcessingPayload = z.output<typeof paymentProcessingPayload>;
export type PaymentCompletedPayload = z.output<typeof paymentCompletedPayload>;
export type PaymentFailedPayload = z.output<typeof paymentFailedPayload>;
export type PaymentReceivedPayload = z.output<typeof paymentReceivedPayload>;

/** A sender of `process_payment` that asked for an ack gets the outcome there instead of these events. */
export const paymentsOutbound = {
  payment_processing: defineOutbound({ schema: paymentProcessingPayload, to: '`user:{passengerId}`, when a charge starts' }),
  payment_completed: defineOutbound({ schema: paymentCompletedPayload, to: '`user:{passengerId}`' }),
  payment_failed: defineOutbound({ schema: paymentFailedPayload, to: '`user:{passengerId}`; also the socket whose `process_payment` was refused without an ack' }),
  payment_received: defineOutbound({ schema: paymentReceivedPayload, to: '`user:{driverId}` of the trip\'s driver, when the payment completes' }),
} as const;

export type PaymentsOutbound = OutboundEvents<typeof paymentsOutbound>;

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
