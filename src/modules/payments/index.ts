/**
 * The payments module (family C): a double-entry ledger with
 * passenger wallets, trip settlement by wallet, cash or external gateway, and
 * exactly-once payment per trip. Other modules use only what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Database } from '../../storage/index.ts';
import type { PaymentMethod } from '../../protocol/index.ts';
import { LedgerRepository } from './ledger.repository.ts';
import { PaymentGateway } from './payment-gateway.ts';
import type { PaymentsSettings } from './payment-settings.ts';
import { PaymentsRepository } from './payments.repository.ts';
import type { PaymentsEvents } from './payments-events.ts';
import { PaymentsService, type TripReader } from './payments.service.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { WalletService } from './wallet.service.ts';

export type { PaymentsSettings, GatewaySettings } from './payment-settings.ts';
export type { PaymentsEvents, PaymentOutcome, PaymentFailure, PaymentSource } from './payments-events.ts';
export type { Payment } from './payments.repository.ts';
export { PaymentsService, type TripReader, type ProcessPaymentInput } from './payments.service.ts';
export { WalletService, type WalletView } from './wallet.service.ts';
export { LedgerRepository, accounts, type Posting } from './ledger.repository.ts';
export { splitFare, toMoney, toMinor, type Split, type PaymentRates } from './money.ts';
export { GATEWAY_HEADERS, signGatewayBody, verifyGatewayBody } from './payment-gateway.ts';
export { paymentPayloads, outcomePayload } from './payment-payloads.ts';
export { notifyPaymentEvents, type PaymentNotifier } from './payment-notifications.ts';

export interface PaymentsModuleDeps {
  db: Database;
  trips: TripReader;
  events: Publisher<PaymentsEvents>;
  clock: Clock;
  settings: PaymentsSettings;
  log: Logger;
}

export interface PaymentsModule {
  service: PaymentsService;
  wallet: WalletService;
}

/** Builds the ledger, the configured gateways and the two services. */
export function createPaymentsModule(deps: PaymentsModuleDeps): PaymentsModule {
  const ledger = new LedgerRepository();
  const now = () => deps.clock.now();
  const gateways: Partial<Record<PaymentMethod, PaymentGateway>> = {};
  for (const name of ['ebs', 'cyberpay'] as const) {
    const g = deps.settings.gateways[name];
    if (g) gateways[name] = new PaymentGateway(name, g, now);
  }
  const service = new PaymentsService({ ...deps, ledger, payments: new PaymentsRepository(deps.db), gateways });
  const wallet = new WalletService({ db: deps.db, ledger, clock: deps.clock, currency: deps.settings.currency });
  return { service, wallet };
}
