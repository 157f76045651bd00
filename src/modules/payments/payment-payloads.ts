import type { PaymentMethod } from '../../protocol/index.ts';
import type { PaymentCompletedPayload, PaymentFailedPayload, PaymentProcessingPayload, PaymentReceivedPayload } from '../../protocol/families/payments.ts';
import { toMoney } from './money.ts';
import type { PaymentFailure, PaymentOutcome } from './payments-events.ts';
import type { Payment } from './payments.repository.ts';

/** Seed 000 payload builders, shared by the delivery and the `process_payment` ack so both say the same. */
export const paymentPayloads = {
  processing: (p: Payment, at: string): PaymentProcessingPayload => ({
    tripId: p.tripId, transactionId: p.id, amount: toMoney(p.totalMinor), paymentMethod: p.method, status: 'processing', message: 'Processing your payment...', timestamp: at,
  }),
  completed: (p: Payment, at: string): PaymentCompletedPayload => ({
    tripId: p.tripId, transactionId: p.id, amount: toMoney(p.totalMinor), paymentMethod: p.method, status: 'completed',
    receipt: {
      receiptNumber: p.receiptNumber ?? '', fare: toMoney(p.fareMinor), platformFee: toMoney(p.platformFeeMinor), total: toMoney(p.totalMinor),
      driverEarnings: toMoney(p.driverEarningsMinor), platformCommission: toMoney(p.commissionMinor),
    },
    walletBalance: toMoney(p.walletBalanceMinor ?? 0), timestamp: at,
  }),
  failed: (p: Payment, failure: PaymentFailure, alternatives: PaymentMethod[], at: string): PaymentFailedPayload => ({
    tripId: p.tripId, transactionId: p.id, amount: toMoney(p.totalMinor), paymentMethod: p.method, status: 'failed',
    error: failure, alternativePaymentMethods: alternatives, timestamp: at,
  }),
  received: (p: Payment, at: string): PaymentReceivedPayload => ({
    tripId: p.tripId, transactionId: p.id, amount: toMoney(p.totalMinor), driverEarnings: toMoney(p.driverEarningsMinor), paymentMethod: p.method, timestamp: at,
  }),
};

/** The ack of `process_payment`: the outcome in the shape of the event that reports it. */
export function outcomePayload(o: PaymentOutcome): PaymentCompletedPayload | PaymentFailedPayload | PaymentProcessingPayload {
  if (o.kind === 'completed') return paymentPayloads.completed(o.payment, o.payment.updatedAt);
  if (o.kind === 'failed') return paymentPayloads.failed(o.payment, o.failure, o.alternatives, o.payment.updatedAt);
  return paymentPayloads.processing(o.payment, o.payment.updatedAt);
}
