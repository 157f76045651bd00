import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { publish } from './fixtures.ts';

describe('POST /api/publish', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => { await server.close(); });

  const watcher = async (sub: string, eventId: string): Promise<Client> => {
    const socket = await server.client(sub, 'user');
    await request(socket, 'join-event', eventId);
    return socket;
  };

  test('needs a staff token: none is 401, a user token is 403', async () => {
    const body = { to: { all: true }, event: 'x-ping', data: {} };
    assert.equal((await server.api('/api/publish', { body, token: null })).status, 401);
    const res = await publish(server, body, {}, await server.token('u', 'user'));
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'FORBIDDEN');
  });

  test('a catalogue event to an event room: validated, timestamp filled in (epoch ms), counted', async () => {
    const fan = await watcher('pub-fan', 'ev-1');
    const got = next(fan, 'ticket-purchased');
    const res = await publish(server, { to: { eventId: 'ev-1' }, event: 'ticket-purchased', data: { ticketId: 't-1', buyer: 'u-9', eventId: 'ev-1', extra: 'dropped' } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { delivered: { recipients: 1, scope: 'cluster', messages: 1 } });
    const payload = await got;
    assert.equal(payload.ticketId, 't-1');
    assert.equal(typeof payload.timestamp, 'number');
    assert.equal('extra' in payload, false);
  });

  test('to a user (every socket of theirs), to users, to a room of the room table, to everyone; x- events carry any JSON', async () => {
    const a1 = await server.client('pub-a', 'user');
    const a2 = await server.client('pub-a', 'user');
    const b = await server.client('pub-b', 'user');
    const balance = [next(a1, 'balance-updated'), next(a2, 'balance-updated')];
    const one = await publish(server, { to: { userId: 'pub-a' }, event: 'balance-updated', data: { userId: 'pub-a', balance: '12.50', token: 'USDC' } });
    assert.equal(one.body.delivered.recipients, 2);
    for (const p of await Promise.all(balance)) assert.equal(p.balance, '12.50');

    const custom = (s: Client, ev: string) => new Promise<unknown>((resolve) => (s.once as (e: string, f: (p: unknown) => void) => void)(ev, resolve));
    const many = [custom(a1, 'x-promo'), custom(b, 'x-promo')];
    const res = await publish(server, { to: { userIds: ['pub-a', 'pub-b'] }, event: 'x-promo', data: { code: 'SPRING', list: [1, 2] } });
    assert.equal(res.body.delivered.recipients, 3);
    // To users: durable, so each carries its stream position (`_seq`, per user).
    for (const p of await Promise.all(many)) {
      const { _seq, ...data } = p as { _seq: unknown };
      assert.equal(typeof _seq, 'number');
      assert.deepEqual(data, { code: 'SPRING', list: [1, 2] });
    }

    const roomed = custom(b, 'x-room');
    await publish(server, { to: { room: 'user:pub-b' }, event: 'x-room', data: 1 });
    assert.equal(await roomed, 1);

    const all = custom(b, 'market-update');
    await publish(server, { to: { all: true }, event: 'market-update', data: { symbol: 'TIX', price: 4.2 } });
    assert.deepEqual(Object.keys((await all) as object).sort(), ['price', 'symbol', 'timestamp']);
  });

  test('a batch goes out in order; one bad message refuses the whole batch with its index', async () => {
    const fan = await watcher('pub-batch', 'ev-batch');
    const seen = collect(fan, 'event-updated');
    const messages = Array.from({ length: 5 }, (_, i) => ({ to: { eventId: 'ev-batch' }, event: 'event-updated', data: { eventId: 'ev-batch', updates: { n: i } } }));
    const res = await publish(server, { messages });
    assert.deepEqual(res.body.delivered, { recipients: 5, scope: 'cluster', messages: 5 });
    await eventually(() => assert.deepEqual(seen.map((p) => (p as { updates: { n: number } }).updates.n), [0, 1, 2, 3, 4]));
    const bad = await publish(server, { messages: [...messages, { to: { eventId: 'ev-batch' }, event: 'event-updated', data: { updates: {} } }] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /messages\.5\.data\.eventId/);
    assert.equal(seen.length, 5);
  });

  test('validation: 400 for unknown events without x-, bad data, session events, rooms outside the table, two targets, too many messages, oversized data', async () => {
    const bodies = [
      { to: { all: true }, event: 'promo', data: {} },
      { to: { all: true }, event: 'ticket-purchased', data: { ticketId: 't' } },
      { to: { all: true }, event: 'authenticated', data: { userId: 'u', role: 'user', connectionId: 'c' } },
      { to: { room: 'slow-clients' }, event: 'x-a', data: 1 },
      { to: { room: 'Ab3dEf' }, event: 'x-a', data: 1 },
      { to: { userId: 'u', all: true }, event: 'x-a', data: 1 },
      { to: { eventId: 'e' }, event: 'x-a', data: 'a\u0000' },
      { messages: Array.from({ length: 1001 }, () => ({ to: { all: true }, event: 'x-a' })) },
      { to: { all: true }, event: 'x-big', data: 'x'.repeat(70 * 1024) },
      { to: { all: true }, event: 'x-' },
    ];
    for (const body of bodies) {
      const res = await publish(server, body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 120));
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    }
  });

  test('Idempotency-Key: the same key and body answer the first result and deliver once; another body is 409 IDEMPOTENCY_CONFLICT', async () => {
    const fan = await watcher('pub-idem', 'ev-idem');
    const seen = collect(fan, 'ticket-transferred');
    const body = { to: { eventId: 'ev-idem' }, event: 'ticket-transferred', data: { ticketId: 't', from: 'a', to: 'b', eventId: 'ev-idem', timestamp: 5 } };
    const key = { 'idempotency-key': 'idem-1' };
    const first = await publish(server, body, key);
    assert.equal(first.status, 200);
    const again = await publish(server, body, key);
    assert.deepEqual(again, first);
    const other = await publish(server, { ...body, data: { ...body.data, ticketId: 't2' } }, key);
    assert.equal(other.status, 409);
    assert.equal(other.body.error.code, 'IDEMPOTENCY_CONFLICT');
    // Another caller's key of the same name is theirs.
    const service = await server.token('billing', 'service');
    assert.equal((await publish(server, body, key, service)).status, 200);
    // A marker after the retries: by the time it arrives, any second delivery would have too.
    const marker = next(fan, 'event-updated');
    await publish(server, { to: { eventId: 'ev-idem' }, event: 'event-updated', data: { eventId: 'ev-idem', updates: {} } });
    await marker;
    assert.equal(seen.length, 2, 'one delivery per caller');
  });

  test('a batch sent with a key twice concurrently is delivered once', async () => {
    const fan = await watcher('pub-idem2', 'ev-idem2');
    const seen: unknown[] = [];
    (fan.on as (ev: string, fn: (p: unknown) => void) => void)('x-once', (p) => seen.push(p));
    const body = { messages: [{ to: { eventId: 'ev-idem2' }, event: 'x-once', data: 1 }] };
    const results = await Promise.all([1, 2, 3].map(() => publish(server, body, { 'idempotency-key': 'idem-2' })));
    for (const r of results) assert.deepEqual(r, results[0]);
    const marker = next(fan, 'event-updated');
    await publish(server, { to: { eventId: 'ev-idem2' }, event: 'event-updated', data: { eventId: 'ev-idem2', updates: {} } });
    await marker;
    assert.equal(seen.length, 1);
  });
});
