import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { PaymentCompletedPayload, PaymentFailedPayload } from '../../src/protocol/index.ts';
import { next, request, type Client } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { completeTrip, GATEWAY_SECRET, ledgerProblems, PAY_ENV, startFakeGateway } from './fixtures.ts';

describe('external gateways (ebs configured, cyberpay not) against a gateway on port 0', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  let gateway: Awaited<ReturnType<typeof startFakeGateway>>;
  let n = 0;
  /** A fresh passenger and driver with a trip paid by ebs, completed: the automatic charge runs at once. */
  const ebsTrip = async () => {
    n += 1;
    const ids = { passengerId: `gw-p${n}`, driverId: `gw-d${n}` };
    const passenger: Client = await server.client(ids.passengerId, 'passenger');
    const driver: Client = await server.client(ids.driverId, 'driver');
    const outcome = Promise.race([next(passenger, 'payment_completed', 5000), next(passenger, 'payment_failed', 5000)]);
    const tripId = await completeTrip(server, clock, passenger, driver, ids, 'ebs');
    return { tripId, passenger, driver, outcome: (await outcome) as PaymentCompletedPayload | PaymentFailedPayload };
  };
  before(async () => {
    gateway = await startFakeGateway();
    server = await startServer({ ...PAY_ENV, PAYMENT_EBS_URL: gateway.url, PAYMENT_GATEWAY_SECRET: GATEWAY_SECRET, PAYMENT_GATEWAY_TIMEOUT_MS: '300' }, { clock });
  });
  after(async () => {
    await server.close();
    await gateway.close();
  });

  test('success: signed call with the attempt\'s key, one charge of the total, receipt, driver earnings', async () => {
    gateway.setMode('approve');
    const { outcome } = await ebsTrip();
    assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
    const c = outcome as PaymentCompletedPayload;
    assert.deepEqual(c.receipt.total, 27.5);
    assert.deepEqual(gateway.charges.get(`livegate-payment-${c.transactionId}`), { amountMinor: 2750 });
    assert.deepEqual(gateway.badSignatures, []);
    assert.deepEqual(await ledgerProblems(server.app.db), []);
  });

  test('decline: PAYMENT_DECLINED, non-retryable, alternatives offered; an unconfigured method is PAYMENT_METHOD_UNAVAILABLE; cash then settles', async () => {
    gateway.setMode('decline');
    const { tripId, passenger, outcome } = await ebsTrip();
    const f = outcome as PaymentFailedPayload;
    assert.deepEqual(f.error, { code: 'PAYMENT_DECLINED', message: 'Payment declined by ebs', retryable: false });
    assert.deepEqual(f.alternativePaymentMethods, ['wallet', 'cash']);
    const cyber = await request<PaymentFailedPayload>(passenger, 'process_payment', { tripId, paymentMethod: 'cyberpay' });
    assert.ok(cyber.success && cyber.data.status === 'failed' && cyber.data.error.code === 'PAYMENT_METHOD_UNAVAILABLE', JSON.stringify(cyber));
    const cash = await request<PaymentCompletedPayload>(passenger, 'process_payment', { tripId, paymentMethod: 'cash' });
    assert.ok(cash.success && cash.data.status === 'completed', JSON.stringify(cash));
  });

  for (const mode of ['hang', 'error500'] as const) {
    test(`${mode === 'hang' ? 'timeout' : '5xx'}: retryable failure; the retry resumes the attempt with the same key and charges once`, async () => {
      gateway.setMode(mode);
      const { tripId, passenger, outcome } = await ebsTrip();
      const f = outcome as PaymentFailedPayload;
      assert.deepEqual([f.status, f.error.code, f.error.retryable], ['failed', 'INTERNAL_ERROR', true], JSON.stringify(f));
      gateway.setMode('approve');
      // Asking for another method does not abandon an attempt whose outcome is unknown: it is finished first.
      const paid = await request<PaymentCompletedPayload>(passenger, 'process_payment', { tripId, paymentMethod: 'cash' });
      assert.ok(paid.success && paid.data.status === 'completed', JSON.stringify(paid));
      assert.equal(paid.data.transactionId, f.transactionId);
      assert.equal(paid.data.paymentMethod, 'ebs');
      const key = `livegate-payment-${f.transactionId}`;
      assert.equal(gateway.keysSeen.filter((k) => k === key).length, 2);
      assert.equal(gateway.charges.get(key)?.amountMinor, 2750);
      assert.deepEqual(await ledgerProblems(server.app.db), []);
    });
  }

  test('crash between the gateway\'s answer and the commit: the retry sends the same key, the gateway charges once', async () => {
    // The commit fails once after the gateway approved (a trigger raising on the first charge posting).
    await server.app.db.exec(`
      CREATE SEQUENCE test_fail_once;
      CREATE FUNCTION test_fail_commit_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('test_fail_once') = 1 THEN RAISE EXCEPTION 'injected commit failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_fail_commit_once BEFORE INSERT ON ledger_transactions FOR EACH ROW WHEN (NEW.kind = 'charge') EXECUTE FUNCTION test_fail_commit_once();`);
    try {
      gateway.setMode('approve');
      const chargesBefore = gateway.charges.size;
      const { tripId, passenger, outcome } = await ebsTrip();
      const f = outcome as PaymentFailedPayload;
      assert.deepEqual([f.status, f.error.retryable], ['failed', true], JSON.stringify(f));
      assert.equal(gateway.charges.size, chargesBefore + 1);
      const paid = await request<PaymentCompletedPayload>(passenger, 'process_payment', { tripId, idempotencyKey: 'after-crash' });
      assert.ok(paid.success && paid.data.status === 'completed', JSON.stringify(paid));
      assert.equal(paid.data.transactionId, f.transactionId);
      assert.equal(gateway.charges.size, chargesBefore + 1);
      assert.equal(gateway.keysSeen.filter((k) => k === `livegate-payment-${f.transactionId}`).length, 2);
      const { rows } = await server.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM payments WHERE trip_id = $1 AND status = 'completed'`, [tripId]);
      assert.equal(rows[0]?.n, 1);
      assert.deepEqual(await ledgerProblems(server.app.db), []);
    } finally {
      await server.app.db.exec('DROP TRIGGER test_fail_commit_once ON ledger_transactions; DROP FUNCTION test_fail_commit_once(); DROP SEQUENCE test_fail_once;');
    }
  });
});
