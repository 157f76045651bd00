import type { Publisher } from '../../core/domain-events.ts';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Database } from '../../storage/index.ts';
import type { PaymentMethod } from '../../protocol/index.ts';
import type { Trip, TripCompletedEvent } from '../trips/index.ts';
import { accounts, type LedgerRepository, type Posting } from './ledger.repository.ts';
import { splitFare } from './money.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import type { PaymentsSettings } from './payment-settings.ts';
import type { Payment, PaymentsRepository } from './payments.repository.ts';
import type { PaymentFailure, PaymentOutcome, PaymentSource, PaymentsEvents } from './payments-events.ts';

const METHODS: readonly PaymentMethod[] = ['wallet', 'cash', 'ebs', 'cyberpay'];
const EXTERNAL = new Set<PaymentMethod>(['ebs', 'cyberpay']);
const UNIQUE_VIOLATION = '23505';
const codeOf = (err: unknown) => (err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '');

/** The one thing payments needs from trips: read a trip by id (TripsService satisfies it). */
export interface TripReader { get(tripId: string): Promise<Trip> }
export interface PaymentsServiceDeps {
  db: Database;
  trips: TripReader;
  ledger: LedgerRepository;
  payments: PaymentsRepository;
  gateways: Partial<Record<PaymentMethod, PaymentGateway>>;
  settings: PaymentsSettings;
  events: Publisher<PaymentsEvents>;
  clock: Clock;
  log: Logger;
}

export interface ProcessPaymentInput { tripId: string; paymentMethod?: PaymentMethod | undefined; idempotencyKey?: string | undefined }

/**
 * Settles completed trips: one attempt in flight and one success per trip,
 * decided by the database. Knows nothing about sockets; reports through events.
 */
export class PaymentsService {
  constructor(private readonly d: PaymentsServiceDeps) {}

  /** Automatic charge with the trip's own method when it completes. Failures are reported, not thrown. */
  async onTripCompleted(e: TripCompletedEvent): Promise<void> {
    try {
      await this.settle(e.trip, e.paymentMethod, null, 'automatic');
    } catch (err) {
      // ALREADY_PAID / in progress: another node or a client got there first.
      if (!(err instanceof AppError)) this.d.log.error({ err, tripId: e.tripId }, 'automatic trip payment failed');
    }
  }

  /** `process_payment` from the trip's passenger: retry or switch method after a failure. */
  async process(passengerId: string, input: ProcessPaymentInput): Promise<PaymentOutcome> {
    const key = input.idempotencyKey ?? null;
    if (key) {
      const prior = await this.d.payments.byKey(passengerId, key);
      if (prior) return this.replay(prior, input);
    }
    const trip = await this.d.trips.get(input.tripId);
    // Someone else's trip looks like no trip at all.
    if (trip.passengerId !== passengerId) throw new AppError('NOT_FOUND', 'Trip not found');
    const method = input.paymentMethod ?? (await this.d.payments.latestFor(trip.id))?.method ?? trip.paymentMethod;
    return this.settle(trip, method, key, 'request');
  }

  /** The trip's successful payment, if any. */
  paymentOf(tripId: string): Promise<Payment | null> {
    return this.d.payments.completedFor(tripId);
  }

  /** Methods worth offering after `failed` failed: the others that are available here. */
  alternativesTo(failed: PaymentMethod): PaymentMethod[] {
    return METHODS.filter((m) => m !== failed && (!EXTERNAL.has(m) || this.d.gateways[m]));
  }

  private replay(prior: Payment, input: ProcessPaymentInput): PaymentOutcome {
    if (prior.tripId !== input.tripId || (input.paymentMethod && input.paymentMethod !== prior.method)) {
      throw new AppError('CONFLICT', 'idempotencyKey already used for another request');
    }
    if (prior.status === 'completed') return { kind: 'completed', payment: prior };
    if (prior.status === 'failed' && prior.error) return { kind: 'failed', payment: prior, failure: prior.error, alternatives: this.alternativesTo(prior.method) };
    return { kind: 'processing', payment: prior };
  }

  private async settle(trip: Trip, method: PaymentMethod, key: string | null, source: PaymentSource): Promise<PaymentOutcome> {
    if (trip.status !== 'completed' || trip.actualFareMinor === null || !trip.driverId) throw new AppError('INVALID_STATE', 'Only completed trips are paid');
    if (await this.d.payments.completedFor(trip.id)) throw new AppError('ALREADY_PAID');
    const now = this.d.clock.now();
    const at = new Date(now).toISOString();
    const leaseUntil = new Date(now + this.d.settings.claimTtlMs).toISOString();
    let attempt = await this.d.payments.takeOverStale(trip.id, at, leaseUntil);
    if (attempt && !EXTERNAL.has(attempt.method)) {
      // A wallet or cash attempt either committed or did nothing: close it and start afresh.
      await this.d.payments.fail(attempt.id, { code: 'INTERNAL_ERROR', message: 'Payment attempt abandoned', retryable: true }, null, at);
      attempt = null;
    }
    // An external attempt with an unknown outcome is resumed as is (same id, so the same gateway key), whatever method was asked for now.
    if (!attempt) {
      attempt = await this.d.payments.insertClaim({
        id: randomUUID(), tripId: trip.id, passengerId: trip.passengerId, driverId: trip.driverId, method, idempotencyKey: key,
        ...splitFare(trip.actualFareMinor, this.d.settings.rates),
      }, at, leaseUntil);
      if (!attempt) return this.refused(trip, method, key);
      // Checked again under the claim: a success committed just before it is visible now.
      if (await this.d.payments.completedFor(trip.id)) {
        await this.d.payments.dropClaim(attempt.id);
        throw new AppError('ALREADY_PAID');
      }
    }
    this.d.events.publish('payment.processing', { payment: attempt, at });
    return this.execute(attempt, source);
  }

  /** The claim was refused by a unique index: say why. */
  private async refused(trip: Trip, method: PaymentMethod, key: string | null): Promise<PaymentOutcome> {
    const prior = key ? await this.d.payments.byKey(trip.passengerId, key) : null;
    if (prior) return this.replay(prior, { tripId: trip.id, paymentMethod: method });
    if (await this.d.payments.completedFor(trip.id)) throw new AppError('ALREADY_PAID');
    throw new AppError('INVALID_STATE', 'A payment for this trip is already in progress', { retryable: true });
  }

  private async execute(p: Payment, source: PaymentSource): Promise<PaymentOutcome> {
    const fees: Posting[] = [
      { account: accounts.commission, amountMinor: p.commissionMinor },
      { account: accounts.fees, amountMinor: p.platformFeeMinor },
    ];
    if (p.method === 'wallet') {
      return this.commit(p, [{ account: accounts.wallet(p.passengerId), amountMinor: -p.totalMinor }, { account: accounts.earnings(p.driverId), amountMinor: p.driverEarningsMinor }, ...fees], false, source);
    }
    if (p.method === 'cash') {
      // The driver holds the cash: the platform's share becomes the driver's debt (a negative balance).
      return this.commit(p, [{ account: accounts.cashDebt(p.driverId), amountMinor: -(p.commissionMinor + p.platformFeeMinor) }, ...fees], false, source);
    }
    const gateway = this.d.gateways[p.method];
    if (!gateway) return this.failed(p, { code: 'PAYMENT_METHOD_UNAVAILABLE', message: `${p.method} is not available`, retryable: false }, source);
    const outcome = await gateway.charge({ idempotencyKey: `livegate-payment-${p.id}`, amountMinor: p.totalMinor, currency: this.d.settings.currency, tripId: p.tripId, passengerId: p.passengerId });
    if (outcome.kind === 'declined') {
      return outcome.insufficientFunds
        ? this.failed(p, { code: 'INSUFFICIENT_FUNDS', message: 'Insufficient balance in your account', retryable: true }, source)
        : this.failed(p, { code: 'PAYMENT_DECLINED', message: `Payment declined by ${p.method}`, retryable: false }, source);
    }
    if (outcome.kind === 'unknown') return this.unknown(p, `Payment gateway did not answer (${outcome.reason})`, source);
    return this.commit(p, [{ account: accounts.clearing(p.method), amountMinor: -p.totalMinor }, { account: accounts.earnings(p.driverId), amountMinor: p.driverEarningsMinor }, ...fees], true, source);
  }

  /** Ledger postings and processing → completed in one transaction. */
  private async commit(p: Payment, postings: Posting[], chargedOutside: boolean, source: PaymentSource): Promise<PaymentOutcome> {
    const at = new Date(this.d.clock.now()).toISOString();
    const walletId = accounts.wallet(p.passengerId).id;
    try {
      const done = await this.d.db.transaction(async (tx) => {
        const { transactionId, balances } = await this.d.ledger.post(tx, 'charge', `trip:${p.tripId}`, postings, at);
        const walletBalanceMinor = balances.get(walletId) ?? (await this.d.ledger.balance(tx, walletId));
        const completed = await this.d.payments.complete(tx, p.id, { ledgerTransactionId: transactionId, walletBalanceMinor, now: at });
        if (!completed) throw new AppError('INVALID_STATE', 'Payment attempt no longer held');
        return completed;
      });
      this.d.events.publish('payment.completed', { payment: done, at });
      return { kind: 'completed', payment: done };
    } catch (err) {
      if (err instanceof AppError && err.code === 'INSUFFICIENT_FUNDS') {
        return this.failed(p, { code: 'INSUFFICIENT_FUNDS', message: 'Insufficient balance in your account', retryable: true }, source);
      }
      if (codeOf(err) === UNIQUE_VIOLATION) return this.failed(p, { code: 'ALREADY_PAID', message: 'Trip already paid', retryable: false }, source);
      this.d.log.error({ err, paymentId: p.id }, 'payment commit failed');
      // Money may have moved at the gateway: keep the attempt so a retry resumes it with the same key.
      if (chargedOutside) return this.unknown(p, 'Payment could not be recorded; retry to finish it', source);
      return this.failed(p, { code: 'INTERNAL_ERROR', message: 'Payment could not be recorded', retryable: true }, source);
    }
  }

  private async failed(p: Payment, failure: PaymentFailure, source: PaymentSource): Promise<PaymentOutcome> {
    const at = new Date(this.d.clock.now()).toISOString();
    const balance = await this.d.ledger.balance(this.d.db, accounts.wallet(p.passengerId).id);
    const row = (await this.d.payments.fail(p.id, failure, balance, at)) ?? p;
    return this.reportFailure(row, failure, at, source);
  }

  private async unknown(p: Payment, message: string, source: PaymentSource): Promise<PaymentOutcome> {
    const at = new Date(this.d.clock.now()).toISOString();
    const failure = { code: 'INTERNAL_ERROR', message, retryable: true };
    const row = (await this.d.payments.release(p.id, failure, at)) ?? p;
    return this.reportFailure(row, failure, at, source);
  }

  private reportFailure(payment: Payment, failure: PaymentFailure, at: string, source: PaymentSource): PaymentOutcome {
    const alternatives = this.alternativesTo(payment.method);
    this.d.events.publish('payment.failed', { payment, failure, alternatives, at, source });
    return { kind: 'failed', payment, failure, alternatives };
  }
}
