import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.ts';
import type { Queryable } from '../../storage/index.ts';
import { toIso } from '../../core/clock.ts';

export type AccountKind = 'wallet' | 'driver_earnings' | 'driver_cash_debt' | 'platform_commission' | 'platform_fees' | 'clearing';
export type LedgerTxKind = 'credit' | 'charge' | 'refund';

/** Account ids by concept, so every caller names the same account the same way. */
export const accounts = {
  wallet: (userId: string) => ({ id: `wallet:${userId}`, kind: 'wallet' as const, ownerId: userId }),
  earnings: (driverId: string) => ({ id: `earnings:${driverId}`, kind: 'driver_earnings' as const, ownerId: driverId }),
  cashDebt: (driverId: string) => ({ id: `cash_debt:${driverId}`, kind: 'driver_cash_debt' as const, ownerId: driverId }),
  commission: { id: 'platform:commission', kind: 'platform_commission' as const, ownerId: null },
  fees: { id: 'platform:fees', kind: 'platform_fees' as const, ownerId: null },
  /** Where money from outside comes from: top-ups, gateway settlements. */
  clearing: (source: string) => ({ id: `clearing:${source}`, kind: 'clearing' as const, ownerId: null }),
} as const;

export interface AccountRef { id: string; kind: AccountKind; ownerId: string | null }
export interface Posting { account: AccountRef; amountMinor: number }
export interface LedgerEntry { transactionId: string; kind: LedgerTxKind; reference: string; amountMinor: number; createdAt: string }

const CHECK_VIOLATION = '23514';
const codeOf = (err: unknown) => (err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '');

/**
 * The double-entry ledger. `post` is the only writer: it checks the entries
 * sum to zero, inserts them and moves each balance in the caller's transaction,
 * so a balance always equals the sum of its entries. A wallet going below zero
 * trips the table's CHECK and surfaces as INSUFFICIENT_FUNDS.
 */
export class LedgerRepository {
  /** Inserts the transaction and its entries; returns the new balances by account id. Call inside a transaction. */
  async post(tx: Queryable, kind: LedgerTxKind, reference: string, postings: readonly Posting[], at: string): Promise<{ transactionId: string; balances: Map<string, number> }> {
    const nonZero = postings.filter((p) => p.amountMinor !== 0);
    if (nonZero.some((p) => !Number.isSafeInteger(p.amountMinor))) throw new Error('ledger amounts must be integers');
    if (nonZero.reduce((s, p) => s + p.amountMinor, 0) !== 0) throw new Error('ledger transaction does not balance');
    const transactionId = randomUUID();
    await tx.query('INSERT INTO ledger_transactions (id, kind, reference, created_at) VALUES ($1, $2, $3, $4)', [transactionId, kind, reference, at]);
    const balances = new Map<string, number>();
    // A fixed order (by account id) so concurrent postings lock balances in the same order and cannot deadlock.
    for (const p of [...nonZero].sort((a, b) => a.account.id.localeCompare(b.account.id))) {
      await tx.query('INSERT INTO ledger_accounts (id, kind, owner_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [p.account.id, p.account.kind, p.account.ownerId]);
      await tx.query('INSERT INTO ledger_entries (transaction_id, account_id, amount_minor, created_at) VALUES ($1, $2, $3, $4)', [transactionId, p.account.id, p.amountMinor, at]);
      try {
        const { rows } = await tx.query<{ balance_minor: string | number }>(
          'UPDATE ledger_accounts SET balance_minor = balance_minor + $2 WHERE id = $1 RETURNING balance_minor', [p.account.id, p.amountMinor]);
        balances.set(p.account.id, Number(rows[0]!.balance_minor));
      } catch (err) {
        if (codeOf(err) === CHECK_VIOLATION) throw new AppError('INSUFFICIENT_FUNDS');
        throw err;
      }
    }
    return { transactionId, balances };
  }

  async balance(db: Queryable, accountId: string): Promise<number> {
    const { rows } = await db.query<{ balance_minor: string | number }>('SELECT balance_minor FROM ledger_accounts WHERE id = $1', [accountId]);
    return rows[0] ? Number(rows[0].balance_minor) : 0;
  }

  /** The newest entries of one account, newest first. */
  async entries(db: Queryable, accountId: string, limit: number): Promise<LedgerEntry[]> {
    const { rows } = await db.query<{ transaction_id: string; kind: LedgerTxKind; reference: string; amount_minor: string | number; created_at: unknown }>(
      `SELECT e.transaction_id, t.kind, t.reference, e.amount_minor, e.created_at
         FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.account_id = $1 ORDER BY e.id DESC LIMIT $2`, [accountId, limit]);
    return rows.map((r) => ({ transactionId: r.transaction_id, kind: r.kind, reference: r.reference, amountMinor: Number(r.amount_minor), createdAt: toIso(r.created_at as Date | string) }));
  }

  /** The postings of one transaction, for reversing it. */
  async postingsOf(db: Queryable, transactionId: string): Promise<Posting[]> {
    const { rows } = await db.query<{ account_id: string; kind: AccountKind; owner_id: string | null; amount_minor: string | number }>(
      `SELECT e.account_id, a.kind, a.owner_id, e.amount_minor FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
        WHERE e.transaction_id = $1 ORDER BY e.id`, [transactionId]);
    return rows.map((r) => ({ account: { id: r.account_id, kind: r.kind, ownerId: r.owner_id }, amountMinor: Number(r.amount_minor) }));
  }
}
