import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../storage/index.ts';
import { accounts, type LedgerEntry, type LedgerRepository } from './ledger.repository.ts';

const UNIQUE_VIOLATION = '23505';
const codeOf = (err: unknown) => (err && typeof err === 'object' && 'code' in err ? String((err as { code: unknown }).code) : '');

export interface WalletView { balanceMinor: number; currency: string; entries: LedgerEntry[] }

/** Passenger wallets: top-ups (idempotent per reference) and statements. */
export class WalletService {
  constructor(private readonly d: { db: Database; ledger: LedgerRepository; clock: Clock; currency: string }) {}

  /**
   * Adds money from outside. A reference already used by this user returns the
   * balance stored with it when the amount matches, CONFLICT when it does not:
   * the primary key on (user_id, reference) decides, not a prior read.
   */
  async credit(userId: string, amountMinor: number, reference: string): Promise<{ balanceMinor: number; replayed: boolean }> {
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new AppError('VALIDATION_ERROR', 'amount must be positive');
    const at = new Date(this.d.clock.now()).toISOString();
    const wallet = accounts.wallet(userId);
    try {
      return await this.d.db.transaction(async (tx) => {
        const { transactionId, balances } = await this.d.ledger.post(tx, 'credit', `credit:${reference}`, [
          { account: wallet, amountMinor },
          { account: accounts.clearing('topup'), amountMinor: -amountMinor },
        ], at);
        const balanceMinor = balances.get(wallet.id)!;
        await tx.query('INSERT INTO wallet_credits (user_id, reference, amount_minor, transaction_id, balance_minor) VALUES ($1, $2, $3, $4, $5)',
          [userId, reference, amountMinor, transactionId, balanceMinor]);
        return { balanceMinor, replayed: false };
      });
    } catch (err) {
      if (codeOf(err) !== UNIQUE_VIOLATION) throw err;
      const { rows } = await this.d.db.query<{ amount_minor: string | number; balance_minor: string | number }>(
        'SELECT amount_minor, balance_minor FROM wallet_credits WHERE user_id = $1 AND reference = $2', [userId, reference]);
      const prior = rows[0];
      if (!prior) throw err;
      if (Number(prior.amount_minor) !== amountMinor) throw new AppError('CONFLICT', 'reference already used with another amount');
      return { balanceMinor: Number(prior.balance_minor), replayed: true };
    }
  }

  balance(userId: string): Promise<number> {
    return this.d.ledger.balance(this.d.db, accounts.wallet(userId).id);
  }

  async read(userId: string, limit = 100): Promise<WalletView> {
    const id = accounts.wallet(userId).id;
    const [balanceMinor, entries] = await Promise.all([this.d.ledger.balance(this.d.db, id), this.d.ledger.entries(this.d.db, id, limit)]);
    return { balanceMinor, currency: this.d.currency, entries };
  }
}
