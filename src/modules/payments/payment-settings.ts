import type { PaymentRates } from './money.ts';

/** One external gateway: where it is and how long to wait for it. */
export interface GatewaySettings {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** The payments module's configuration (Config.payments). */
export interface PaymentsSettings {
  rates: PaymentRates;
  currency: string;
  /** How long a node holds an attempt before another node may take it over; longer than the gateway timeout. */
  claimTtlMs: number;
  gateways: { ebs: GatewaySettings | undefined; cyberpay: GatewaySettings | undefined };
}
