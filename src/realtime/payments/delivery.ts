import type { DomainEvents } from '../../core/domain-events.ts';
import { paymentPayloads, type PaymentsEvents } from '../../modules/payments/index.ts';
import type { Delivery } from '../delivery.ts';

/** Payment events to the passenger's sockets (every node) and, on success, `payment_received` to the driver's; all durable (`_seq`, resumable). */
export function deliverPaymentEvents(events: DomainEvents<PaymentsEvents>, delivery: Delivery): void {
  events.on('payment.processing', ({ payment, at }) => void delivery.durable([payment.passengerId], 'payment_processing', paymentPayloads.processing(payment, at)));
  events.on('payment.completed', ({ payment, at }) => {
    void delivery.durable([payment.passengerId], 'payment_completed', paymentPayloads.completed(payment, at));
    void delivery.durable([payment.driverId], 'payment_received', paymentPayloads.received(payment, at));
  });
  events.on('payment.failed', ({ payment, failure, alternatives, at }) => {
    void delivery.durable([payment.passengerId], 'payment_failed', paymentPayloads.failed(payment, failure, alternatives, at));
  });
}
