import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { PaymentCompletedPayload, PaymentFailedPayload } from '../../src/protocol/index.ts';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { completeTrip, ledgerProblems, PAY_ENV } from './fixtures.ts';

const RECEIPT = /^RCP-\d{4}-\d{6}$/;

describe('wallet payments on a real gateway (PGlite)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  const clients: Record<string, Client> = {};
  const pair = async (p: string, d: string) => {
    clients[p] ??= await server.client(p, 'passenger');
    clients[d] ??= await server.client(d, 'driver');
    return [clients[p], clients[d]] as const;
  };
  before(async () => { server = await startServer(PAY_ENV, { clock }); });
  after(() => server.close());

  test('the seed flow: trip completed → payment_processing → payment_completed with the exact receipt; driver gets payment_received', async () => {
    const [passenger, driver] = await pair('seed-p', 'seed-d');
    assert.deepEqual((await server.api('/api/users/seed-p/wallet/credits', { body: { amount: 153, reference: 'topup-1' } })).body, { balance: 153 });
    const processing = next(passenger, 'payment_processing');
    const completed = next(passenger, 'payment_completed');
    const received = next(driver, 'payment_received');
    const tripId = await completeTrip(server, clock, passenger, driver, { passengerId: 'seed-p', driverId: 'seed-d' }, 'wallet');
    const p = await processing;
    assert.deepEqual({ ...p, transactionId: '', timestamp: '' }, { tripId, transactionId: '', amount: 27.5, paymentMethod: 'wallet', status: 'processing', message: 'Processing your payment...', timestamp: '' });
    const c = await completed;
    assert.match(c.receipt.receiptNumber, RECEIPT);
    assert.deepEqual({ ...c, timestamp: '', receipt: { ...c.receipt, receiptNumber: '' } }, {
      tripId, transactionId: p.transactionId, amount: 27.5, paymentMethod: 'wallet', status: 'completed',
      receipt: { receiptNumber: '', fare: 25, platformFee: 2.5, total: 27.5, driverEarnings: 21.25, platformCommission: 3.75 },
      walletBalance: 125.5, timestamp: '',
    });
    const r = await received;
    assert.deepEqual({ ...r, timestamp: '' }, { tripId, transactionId: p.transactionId, amount: 27.5, driverEarnings: 21.25, paymentMethod: 'wallet', timestamp: '' });

    const wallet = await server.api('/api/users/seed-p/wallet', { token: await server.token('seed-p', 'passenger') });
    assert.equal(wallet.status, 200);
    assert.equal(wallet.body.balance, 125.5);
    assert.equal(wallet.body.currency, 'SDG');
    assert.deepEqual(wallet.body.entries.map((e: { kind: string; amount: number }) => [e.kind, e.amount]), [['charge', -27.5], ['credit', 153]]);
    assert.deepEqual(await ledgerProblems(server.app.db), []);

    // The receipt also lands in the passenger's inbox (notifications module).
    await eventually(async () => {
      const inbox = await request<{ notifications: { title: string; data: Record<string, unknown> }[] }>(passenger, 'notification:list');
      assert.ok(inbox.success && inbox.data.notifications.some((n) => n.title === 'Payment completed' && n.data.receiptNumber === c.receipt.receiptNumber), JSON.stringify(inbox));
    });

    // Paid trips cannot be paid again.
    const again = await request(passenger, 'process_payment', { tripId, paymentMethod: 'cash' });
    assert.deepEqual(again, { success: false, error: { code: 'ALREADY_PAID', message: 'Trip already paid' } });
  });

  test('insufficient funds → payment_failed (retryable, alternatives) → top up → process_payment succeeds; keys replay and conflict', async () => {
    const [passenger, driver] = await pair('poor-p', 'poor-d');
    await server.api('/api/users/poor-p/wallet/credits', { body: { amount: 10, reference: 'first' } });
    const failed = next(passenger, 'payment_failed');
    const tripId = await completeTrip(server, clock, passenger, driver, { passengerId: 'poor-p', driverId: 'poor-d' }, 'wallet');
    const f = await failed;
    assert.equal(f.tripId, tripId);
    assert.deepEqual(f.error, { code: 'INSUFFICIENT_FUNDS', message: 'Insufficient balance in your account', retryable: true });
    assert.ok(f.alternativePaymentMethods.includes('cash') && !f.alternativePaymentMethods.includes('wallet'), JSON.stringify(f));
    // Unconfigured gateways are not offered.
    assert.deepEqual(f.alternativePaymentMethods, ['cash']);

    assert.equal((await server.api('/api/users/poor-p/wallet/credits', { body: { amount: 20, reference: 'second' } })).body.balance, 30);
    const received = next(driver, 'payment_received');
    const paid = await request<PaymentCompletedPayload>(passenger, 'process_payment', { tripId, idempotencyKey: 'retry-1' });
    assert.ok(paid.success, JSON.stringify(paid));
    assert.equal(paid.data.status, 'completed');
    assert.equal(paid.data.walletBalance, 2.5);
    assert.equal((await received).transactionId, paid.data.transactionId);

    // The same key answers the stored result; with another request it is a CONFLICT.
    const replay = await request<PaymentCompletedPayload>(passenger, 'process_payment', { tripId, idempotencyKey: 'retry-1' });
    assert.ok(replay.success && replay.data.transactionId === paid.data.transactionId && replay.data.receipt.receiptNumber === paid.data.receipt.receiptNumber);
    const conflict = await request(passenger, 'process_payment', { tripId, idempotencyKey: 'retry-1', paymentMethod: 'cash' });
    assert.equal(!conflict.success && conflict.error.code, 'CONFLICT');
    assert.equal((await server.api('/api/users/poor-p/wallet')).body.balance, 2.5);
    assert.deepEqual(await ledgerProblems(server.app.db), []);
  });

  test('cash: recorded, the platform share becomes the driver\'s debt; without an ack a refusal arrives as payment_failed', async () => {
    const [passenger, driver] = await pair('cash-p', 'cash-d');
    const completed = next(passenger, 'payment_completed');
    const tripId = await completeTrip(server, clock, passenger, driver, { passengerId: 'cash-p', driverId: 'cash-d' }, 'cash');
    const c = await completed;
    assert.deepEqual([c.paymentMethod, c.receipt.total, c.walletBalance], ['cash', 27.5, 0]);
    const { rows } = await server.app.db.query<{ balance_minor: string | number }>(`SELECT balance_minor FROM ledger_accounts WHERE id = 'cash_debt:cash-d'`);
    assert.equal(Number(rows[0]?.balance_minor), -625);

    const failures = collect(passenger, 'payment_failed') as PaymentFailedPayload[];
    passenger.emit('process_payment', { tripId });
    await eventually(() => assert.equal(failures[0]?.error.code, 'ALREADY_PAID'));
    assert.equal(failures[0]?.tripId, tripId);
  });

  test('only the trip\'s passenger may pay it; other trips look absent, drivers are refused', async () => {
    const [passenger, driver] = await pair('own-p', 'own-d');
    const tripId = await completeTrip(server, clock, passenger, driver, { passengerId: 'own-p', driverId: 'own-d' }, 'wallet');
    const stranger = await server.client('stranger-p', 'passenger');
    assert.equal((await request(stranger, 'process_payment', { tripId })).success ? 'ok' : 'refused', 'refused');
    const s = await request(stranger, 'process_payment', { tripId });
    assert.equal(!s.success && s.error.code, 'NOT_FOUND');
    const d = await request(driver, 'process_payment', { tripId });
    assert.equal(!d.success && d.error.code, 'FORBIDDEN');
    const bad = await request(passenger, 'process_payment', { tripId: 'not-a-uuid' });
    assert.equal(!bad.success && bad.error.code, 'VALIDATION_ERROR');
  });

  test('wallet credits: reference idempotent per user, two decimals only, wallets readable by owner and staff only', async () => {
    const credit = (body: unknown) => server.api('/api/users/ref-u/wallet/credits', { body });
    assert.deepEqual((await credit({ amount: 12.34, reference: 'r1' })).body, { balance: 12.34 });
    assert.deepEqual((await credit({ amount: 12.34, reference: 'r1' })).body, { balance: 12.34 });
    assert.equal((await credit({ amount: 5, reference: 'r1' })).status, 409);
    assert.equal((await credit({ amount: 1.234, reference: 'r2' })).status, 400);
    assert.equal((await credit({ amount: -1, reference: 'r3' })).status, 400);
    assert.equal((await server.api('/api/users/other-u/wallet/credits', { body: { amount: 1, reference: 'r1' } })).body.balance, 1);
    assert.equal((await server.api('/api/users/ref-u/wallet/credits', { body: { amount: 1, reference: 'x' }, token: await server.token('ref-u', 'passenger') })).status, 403);
    assert.equal((await server.api('/api/users/ref-u/wallet', { token: await server.token('other-u', 'passenger') })).status, 403);
    assert.equal((await server.api('/api/users/ref-u/wallet', { token: await server.token('ref-u', 'passenger') })).body.balance, 12.34);
    assert.deepEqual(await ledgerProblems(server.app.db), []);
  });
});
