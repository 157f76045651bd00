import type { PaymentMethod } from '../../protocol/index.ts';
import type { Payment } from './payments.repository.ts';

/** Why an attempt did not complete, as the client is told. */
export interface PaymentFailure { code: string; message: string; retryable: boolean }

/** What an attempt came to: completed, failed (with what to try next), or still running elsewhere. */
export type PaymentOutcome =
  | { kind: 'completed'; payment: Payment }
  | { kind: 'failed'; payment: Payment; failure: PaymentFailure; alternatives: PaymentMethod[] }
  | { kind: 'processing'; payment: Payment };

/** `automatic`: the charge at trip completion; `request`: a passenger's `process_payment`. */
export type PaymentSource = 'automatic' | 'request';

/**
 * What the payments module reports; src/realtime/payments/delivery.ts turns
 * these into emits. `at` is the server's ISO time of the event.
 */
export interface PaymentsEvents {
  'payment.processing': { payment: Payment; at: string };
  'payment.completed': { payment: Payment; at: string };
  'payment.failed': { payment: Payment; failure: PaymentFailure; alternatives: PaymentMethod[]; at: string; source: PaymentSource };
}
