import type { Queryable } from '../../storage/index.ts';
import type { PaymentMethod } from '../../protocol/index.ts';
import type { Split } from './money.ts';
import { toIso } from '../../core/clock.ts';

export type PaymentStatus = 'processing' | 'completed' | 'failed';

/** One payment attempt. Its id is the wire `transactionId`. */
export interface Payment extends Split {
  id: string;
  tripId: string;
  passengerId: string;
  driverId: string;
  method: PaymentMethod;
  status: PaymentStatus;
  idempotencyKey: string | null;
  receiptNumber: string | null;
  walletBalanceMinor: number | null;
  error: { code: string; message: string; retryable: boolean } | null;
  claimExpiresAt: string;
  updatedAt: string;
}

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v);

function fromRow(r: Row): Payment {
  return {
    id: String(r.id), tripId: String(r.trip_id), passengerId: String(r.passenger_id), driverId: String(r.driver_id),
    method: r.method as PaymentMethod, status: r.status as PaymentStatus, idempotencyKey: (r.idempotency_key as string | null) ?? null,
    fareMinor: num(r.fare_minor), platformFeeMinor: num(r.platform_fee_minor), totalMinor: num(r.total_minor),
    driverEarningsMinor: num(r.driver_earnings_minor), commissionMinor: num(r.commission_minor),
    receiptNumber: (r.receipt_number as string | null) ?? null,
    walletBalanceMinor: r.wallet_balance_minor === null || r.wallet_balance_minor === undefined ? null : num(r.wallet_balance_minor),
    error: r.error_code ? { code: String(r.error_code), message: String(r.error_message ?? ''), retryable: Boolean(r.retryable) } : null,
    claimExpiresAt: toIso(r.claim_expires_at as Date | string), updatedAt: toIso(r.updated_at as Date | string),
  };
}

export interface NewAttempt extends Split {
  id: string; tripId: string; passengerId: string; driverId: string; method: PaymentMethod; idempotencyKey: string | null;
}

/**
 * Payment attempts. Exclusivity comes from the table: the partial unique
 * indexes allow one 'processing' and one 'completed' row per trip, and every
 * state change is a conditional update on `status = 'processing'`.
 */
export class PaymentsRepository {
  constructor(private readonly db: Queryable) {}

  async byKey(passengerId: string, key: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM payments WHERE passenger_id = $1 AND idempotency_key = $2', [passengerId, key]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async completedFor(tripId: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>(`SELECT * FROM payments WHERE trip_id = $1 AND status = 'completed'`, [tripId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  async latestFor(tripId: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>('SELECT * FROM payments WHERE trip_id = $1 ORDER BY created_at DESC, updated_at DESC LIMIT 1', [tripId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Takes over an attempt whose lease ran out (its node died, or it released it after an unknown outcome). */
  async takeOverStale(tripId: string, now: string, leaseUntil: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>(
      `UPDATE payments SET claim_expires_at = $3, updated_at = $2
        WHERE trip_id = $1 AND status = 'processing' AND claim_expires_at <= $2 RETURNING *`, [tripId, now, leaseUntil]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** The claim: false when another attempt is in flight, the trip is paid, or the key is taken (unique violation). */
  async insertClaim(a: NewAttempt, now: string, leaseUntil: string): Promise<Payment | null> {
    try {
      const { rows } = await this.db.query<Row>(
        `INSERT INTO payments (id, trip_id, passenger_id, driver_id, method, status, idempotency_key, fare_minor, platform_fee_minor, total_minor,
                               driver_earnings_minor, commission_minor, claim_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'processing', $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
        [a.id, a.tripId, a.passengerId, a.driverId, a.method, a.idempotencyKey, a.fareMinor, a.platformFeeMinor, a.totalMinor,
          a.driverEarningsMinor, a.commissionMinor, leaseUntil, now]);
      return fromRow(rows[0]!);
    } catch (err) {
      if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === '23505') return null;
      throw err;
    }
  }

  /** processing → completed, in the caller's transaction with the ledger postings. Null when the attempt was no longer ours. */
  async complete(tx: Queryable, id: string, f: { ledgerTransactionId: string | null; walletBalanceMinor: number; now: string }): Promise<Payment | null> {
    const { rows } = await tx.query<Row>(
      `UPDATE payments SET status = 'completed', ledger_transaction_id = $2, error_code = NULL, error_message = NULL, retryable = NULL, wallet_balance_minor = $3, updated_at = $4,
              receipt_number = 'RCP-' || to_char($4::timestamptz AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('receipt_numbers')::text, 6, '0')
        WHERE id = $1 AND status = 'processing' RETURNING *`, [id, f.ledgerTransactionId, f.walletBalanceMinor, f.now]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** processing → failed with the reason given to the client. */
  async fail(id: string, error: { code: string; message: string; retryable: boolean }, walletBalanceMinor: number | null, now: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>(
      `UPDATE payments SET status = 'failed', error_code = $2, error_message = $3, retryable = $4, wallet_balance_minor = $5, updated_at = $6
        WHERE id = $1 AND status = 'processing' RETURNING *`, [id, error.code, error.message, error.retryable, walletBalanceMinor, now]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Withdraws a claim that found the trip already paid: nothing was attempted, so nothing is kept (a repeat of its key re-checks). */
  async dropClaim(id: string): Promise<void> {
    await this.db.query(`DELETE FROM payments WHERE id = $1 AND status = 'processing' AND ledger_transaction_id IS NULL`, [id]);
  }

  /** Outcome unknown (gateway timeout, commit failed): stays 'processing' with its lease ended, so the next attempt resumes it with the same key. */
  async release(id: string, error: { code: string; message: string }, now: string): Promise<Payment | null> {
    const { rows } = await this.db.query<Row>(
      `UPDATE payments SET claim_expires_at = $2, updated_at = $2, error_code = $3, error_message = $4, retryable = true
        WHERE id = $1 AND status = 'processing' RETURNING *`, [id, now, error.code, error.message]);
    return rows[0] ? fromRow(rows[0]) : null;
  }
}
