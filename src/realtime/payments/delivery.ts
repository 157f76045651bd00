import type { DomainEvents } from '../../core/domain-events.ts';
import { paymentPayloads, type PaymentsEvents } from '../../modules/payments/index.ts';
import type { Delivery } from '../delivery.ts';
import { rooms } from '../types.ts';

/** Payment events to the passenger's sockets (every node) and, on success, `payment_received` to the driver's. */
export function deliverPaymentEvents(events: DomainEvents<PaymentsEvents>, delivery: Delivery): void {
  events.on('payment.processing', ({ payment, at }) => delivery.to(rooms.user(payment.passengerId), 'payment_processing', paymentPayloads.processing(payment, at)));
  events.on('payment.completed', ({ payment, at }) => {
    delivery.to(rooms.user(payment.passengerId), 'payment_completed', paymentPayloads.completed(payment, at));
    delivery.to(rooms.user(payment.driverId), 'payment_received', paymentPayloads.received(payment, at));
  });
  events.on('payment.failed', ({ payment, failure, alternatives, at }) => {
    delivery.to(rooms.user(payment.passengerId), 'payment_failed', paymentPayloads.failed(payment, failure, alternatives, at));
  });
}
