import { DomainEvents } from '../core/domain-events.ts';
import { registerWalletRoutes } from '../http/routes/wallet.routes.ts';
import type { NotificationsModule } from '../modules/notifications/index.ts';
import { createPaymentsModule, notifyPaymentEvents, type PaymentsEvents, type PaymentsModule } from '../modules/payments/index.ts';
import { paymentsHandlers } from '../realtime/payments/handlers.ts';
import { deliverPaymentEvents } from '../realtime/payments/delivery.ts';
import type { FamilyContext } from './context.ts';
import type { TripsFamily } from './trips.ts';

/**
 * Family C, payments and wallet: a completed trip is charged with its method
 * at once (on the node that completed it); outcomes reach the passenger, the
 * driver and the passenger's inbox.
 */
export function attachPayments(ctx: FamilyContext, deps: { trips: TripsFamily; notifications: NotificationsModule }): PaymentsModule {
  const { log } = ctx;
  const events = new DomainEvents<PaymentsEvents>(log);
  const payments = createPaymentsModule({ db: ctx.db, trips: deps.trips.service, events, clock: ctx.clock, settings: ctx.config.payments, log });
  deps.trips.events.on('trip.completed', (e) => void payments.service.onTripCompleted(e));
  notifyPaymentEvents(events, deps.notifications.service, log);
  ctx.handle(paymentsHandlers({ payments: payments.service }));
  deliverPaymentEvents(events, ctx.delivery);
  // Top-ups by backends; a wallet is readable by its owner and staff.
  registerWalletRoutes(ctx.http, { wallet: payments.wallet, guard: ctx.guards.staff, anyone: ctx.guards.anyone });
  return payments;
}
