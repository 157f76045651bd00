import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/core/clock.ts';
import { GATEWAY_HEADERS, verifyGatewayBody } from '../../src/modules/payments/index.ts';
import type { PaymentMethod } from '../../src/protocol/index.ts';
import { request, type Client } from '../helpers/client.ts';
import type { TestServer } from '../helpers/server.ts';
import { createProfiles, placeDriver, SEED_REQUEST, TRIP_ENV } from '../trips/fixtures.ts';

/** A flat 25.00 tariff, so every test trip costs the seed's fare exactly. */
export const PAY_ENV = { ...TRIP_ENV, TRIP_TARIFF_STANDARD: '25.00,0.00,0.00,25.00' };
export const GATEWAY_SECRET = 'gateway-secret-for-tests-only!!';

/** Drives a real trip through the gateway: request → accept → arrived → started → completed. Returns its id. */
export async function completeTrip(server: TestServer, clock: Clock, passenger: Client, driver: Client, ids: { passengerId: string; driverId: string }, paymentMethod: PaymentMethod): Promise<string> {
  await createProfiles(server, [{ id: ids.passengerId, role: 'passenger', name: 'Ahmed Mohamed' }, { id: ids.driverId, role: 'driver', name: 'Mohamed Ali' }]);
  placeDriver(server, ids.driverId, clock, 200);
  const asked = await request<{ tripId: string }>(passenger, 'trip_request', { ...SEED_REQUEST, paymentMethod });
  if (!asked.success) throw new Error(JSON.stringify(asked));
  const { tripId } = asked.data;
  for (const [event, payload] of [['trip_accept', { tripId }], ['driver_arrived', { tripId }], ['trip_started', { tripId }]] as const) {
    const r = await request(driver, event, payload);
    if (!r.success) throw new Error(`${event}: ${JSON.stringify(r)}`);
  }
  const done = await request(driver, 'trip_completed', { tripId, actualDistance: 0, actualDuration: 0 });
  if (!done.success) throw new Error(JSON.stringify(done));
  return tripId;
}

/** Ledger invariants over the whole database: balances = sums of entries, transactions balance, no wallet below zero. */
export async function ledgerProblems(db: { query: TestServer['app']['db']['query'] }): Promise<string[]> {
  const problems: string[] = [];
  const mismatched = await db.query(`SELECT a.id FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
    GROUP BY a.id, a.balance_minor HAVING a.balance_minor <> COALESCE(SUM(e.amount_minor), 0)`);
  if (mismatched.rows.length) problems.push(`balance ≠ entries: ${JSON.stringify(mismatched.rows)}`);
  const unbalanced = await db.query('SELECT transaction_id FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount_minor) <> 0');
  if (unbalanced.rows.length) problems.push(`unbalanced transactions: ${JSON.stringify(unbalanced.rows)}`);
  const negative = await db.query(`SELECT id FROM ledger_accounts WHERE kind = 'wallet' AND balance_minor < 0`);
  if (negative.rows.length) problems.push(`negative wallets: ${JSON.stringify(negative.rows)}`);
  return problems;
}

export type GatewayMode = 'approve' | 'decline' | 'insufficient' | 'error500' | 'hang';

/**
 * A payment gateway on port 0 for tests: verifies the signature, dedupes by
 * idempotency key like real gateways (a repeated key gets the first answer
 * and is not charged again), and answers as `mode` says.
 */
export async function startFakeGateway(secret = GATEWAY_SECRET) {
  const charges = new Map<string, { amountMinor: number }>();
  const keysSeen: string[] = [];
  let mode: GatewayMode = 'approve';
  const badSignatures: string[] = [];
  const readBody = async (req: IncomingMessage) => {
    let s = '';
    for await (const chunk of req) s += String(chunk);
    return s;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const key = String(req.headers[GATEWAY_HEADERS.idempotencyKey] ?? '');
      const ok = verifyGatewayBody(secret, String(req.headers[GATEWAY_HEADERS.timestamp] ?? ''), body, String(req.headers[GATEWAY_HEADERS.signature] ?? ''));
      if (!ok) badSignatures.push(key);
      keysSeen.push(key);
      const reply = (status: number, json: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(json)); };
      if (!ok) return reply(401, { status: 'declined', reason: 'bad_signature' });
      if (charges.has(key)) return reply(200, { status: 'approved', reference: `gw-${key}` });
      if (mode === 'hang') return; // never answers: the client's timeout must fire
      if (mode === 'error500') return reply(503, { error: 'unavailable' });
      if (mode === 'decline') return reply(402, { status: 'declined', reason: 'do_not_honor' });
      if (mode === 'insufficient') return reply(402, { status: 'declined', reason: 'insufficient_funds' });
      charges.set(key, { amountMinor: (JSON.parse(body) as { amountMinor: number }).amountMinor });
      reply(200, { status: 'approved', reference: `gw-${key}` });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/charge`,
    charges, keysSeen, badSignatures,
    setMode(m: GatewayMode) { mode = m; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
