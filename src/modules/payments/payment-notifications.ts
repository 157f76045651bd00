import type { Logger } from '../../core/logger.ts';
import type { PaymentsEvents } from './payments-events.ts';
import { toMoney } from './money.ts';
import type { EventSource } from '../../core/domain-events.ts';

/** The narrow slice of the notifications module payments uses (NotificationsService satisfies it). */
export interface PaymentNotifier {
  notifyUser(userId: string, input: { type: 'success' | 'error' | 'info'; title: string; message: string; data: Record<string, unknown> }, opts: { dedupeKey?: string }): Promise<unknown>;
}

/**
 * Completed payments and failed `process_payment` attempts also land in the
 * passenger's inbox (push when offline); one per attempt outcome. The failure
 * of the automatic charge at trip completion is only emitted live
 * (`payment_failed`): the trip's own "Trip Completed" notification is the
 * inbox entry of that moment, and the trip-notification contract counts it alone.
 */
export function notifyPaymentEvents(events: EventSource<PaymentsEvents>, notifier: PaymentNotifier, log: Logger): void {
  events.on('payment.completed', ({ payment }) => {
    notifier.notifyUser(payment.passengerId, {
      type: 'success', title: 'Payment completed', message: `Paid ${toMoney(payment.totalMinor).toFixed(2)} by ${payment.method}`,
      data: { tripId: payment.tripId, transactionId: payment.id, receiptNumber: payment.receiptNumber },
    }, { dedupeKey: `payment:${payment.id}:completed` }).catch((err: unknown) => log.warn({ err, paymentId: payment.id }, 'payment notification failed'));
  });
  events.on('payment.failed', ({ payment, failure, at, source }) => {
    if (source === 'automatic') return;
    notifier.notifyUser(payment.passengerId, {
      type: 'error', title: 'Payment failed', message: failure.message,
      data: { tripId: payment.tripId, transactionId: payment.id, code: failure.code },
    }, { dedupeKey: `payment:${payment.id}:failed:${at}` }).catch((err: unknown) => log.warn({ err, paymentId: payment.id }, 'payment notification failed'));
  });
}
