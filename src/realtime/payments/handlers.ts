import { outcomePayload, type PaymentsService } from '../../modules/payments/index.ts';
import type { EventHandler } from '../event-router.ts';

export interface PaymentHandlerDeps {
  payments: PaymentsService;
}

/**
 * Family C (seed 000 payment events). The router has checked role, rate and
 * payload; the service checks the trip against the database. The outcome also
 * reaches every socket of the passenger as events; the ack repeats it.
 */
export function paymentsHandlers(deps: PaymentHandlerDeps) {
  const processPayment: EventHandler<'process_payment'> = async ({ userId }, payload) => outcomePayload(await deps.payments.process(userId, payload));
  return { process_payment: processPayment } as const;
}
