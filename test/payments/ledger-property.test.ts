import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { systemClock } from '../../src/core/clock.ts';
import { AppError } from '../../src/core/errors.ts';
import { accounts, LedgerRepository, WalletService } from '../../src/modules/payments/index.ts';
import { migrate, type Database } from '../../src/storage/index.ts';
import { openPglite } from '../../src/storage/pglite.ts';
import { ledgerProblems } from './fixtures.ts';

type Op =
  | { kind: 'credit'; user: number; amount: number }
  | { kind: 'charge'; user: number; amount: number }
  | { kind: 'refund'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('credit' as const), user: fc.nat(2), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ kind: fc.constant('charge' as const), user: fc.nat(2), amount: fc.integer({ min: 1, max: 60_000 }) }),
  fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(50) }),
);

let db: Database;
const ledger = new LedgerRepository();
before(async () => {
  db = await openPglite('memory');
  await migrate(db);
});
after(() => db.close());

test('random credits, charges and refunds: balances equal the sums of entries, no wallet below zero, model agrees', async () => {
  const wallet = new WalletService({ db, ledger, clock: systemClock, currency: 'SDG' });
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
    run += 1;
    const users = [0, 1, 2].map((i) => `prop-${run}-${i}`);
    const expected = [0, 0, 0];
    const charges: { id: string; user: number; amount: number; refunded: boolean }[] = [];
    let seq = 0;
    for (const o of ops) {
      const at = new Date().toISOString();
      if (o.kind === 'credit') {
        await wallet.credit(users[o.user]!, o.amount, `ref-${seq++}`);
        expected[o.user]! += o.amount;
      } else if (o.kind === 'charge') {
        try {
          const { transactionId } = await db.transaction((tx) => ledger.post(tx, 'charge', `prop:${seq++}`, [
            { account: accounts.wallet(users[o.user]!), amountMinor: -o.amount },
            { account: accounts.earnings('prop-driver'), amountMinor: o.amount - Math.floor(o.amount / 10) },
            { account: accounts.commission, amountMinor: Math.floor(o.amount / 10) },
          ], at));
          assert.ok(expected[o.user]! >= o.amount, 'a charge above the balance went through');
          expected[o.user]! -= o.amount;
          charges.push({ id: transactionId, user: o.user, amount: o.amount, refunded: false });
        } catch (err) {
          assert.ok(err instanceof AppError && err.code === 'INSUFFICIENT_FUNDS', String(err));
          assert.ok(expected[o.user]! < o.amount, 'a charge within the balance was refused');
        }
      } else {
        const c = charges.filter((x) => !x.refunded)[o.pick % Math.max(1, charges.length)];
        if (!c) continue;
        const reversed = (await ledger.postingsOf(db, c.id)).map((p) => ({ ...p, amountMinor: -p.amountMinor }));
        await db.transaction((tx) => ledger.post(tx, 'refund', `refund:${c.id}`, reversed, at));
        c.refunded = true;
        expected[c.user]! += c.amount;
      }
    }
    for (const [i, user] of users.entries()) assert.equal(await wallet.balance(user), expected[i]);
    assert.deepEqual(await ledgerProblems(db), []);
  }), { numRuns: 40 });
});

test('an unbalanced posting is refused before anything is written', async () => {
  const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
  await assert.rejects(db.transaction((tx) => ledger.post(tx, 'charge', 'bad', [{ account: accounts.commission, amountMinor: 5 }], new Date().toISOString())), /does not balance/);
  const afterCount = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
  assert.equal(afterCount.rows[0]?.n, before.rows[0]?.n);
});
