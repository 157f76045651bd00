import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, next, request } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import type { TestServer } from '../helpers/server.ts';
import { publish, sendWebhook, TICKETS_SECRET } from './fixtures.ts';

describe('publishing across two nodes (shared Redis and PostgreSQL)', () => {
  let cluster: TestCluster | null = null;
  before(async () => { cluster = await startCluster(2, { WEBHOOK_SECRET_TICKETS: TICKETS_SECRET }); });
  after(async () => { await cluster?.close(); });
  const nodes = () => cluster!.nodes as [TestServer, TestServer];

  test('published through node 1, received on node 2: event rooms and users; users are counted cluster-wide', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const fan = await n2.client('cp-fan', 'user');
    await request(fan, 'join-event', 'cp-ev');
    const purchased = next(fan, 'ticket-purchased');
    const res = await publish(n1, { to: { eventId: 'cp-ev' }, event: 'ticket-purchased', data: { ticketId: 't', buyer: 'b', eventId: 'cp-ev' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.delivered.scope, 'node');
    assert.equal((await purchased).ticketId, 't');

    const deadline = Date.now() + 5000;
    let counted = 0;
    while (counted !== 1 && Date.now() < deadline) {
      counted = (await publish(n1, { to: { userId: 'cp-fan' }, event: 'x-probe', data: null })).body.delivered.recipients;
    }
    assert.equal(counted, 1, 'the registry sees node 2\'s socket');
    const balance = next(fan, 'balance-updated');
    const user = await publish(n1, { to: { userId: 'cp-fan' }, event: 'balance-updated', data: { userId: 'cp-fan', balance: 1, token: 'TIX' } });
    assert.deepEqual(user.body.delivered, { recipients: 1, scope: 'cluster', messages: 1 });
    assert.equal((await balance).balance, 1);
  });

  test('an Idempotency-Key holds across nodes: the retry on node 2 answers node 1\'s result without a second delivery; another body is 409', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const fan = await n2.client('cp-idem', 'user');
    await request(fan, 'join-event', 'cp-idem-ev');
    const seen = collect(fan, 'event-updated');
    const body = { to: { eventId: 'cp-idem-ev' }, event: 'event-updated', data: { eventId: 'cp-idem-ev', updates: { doors: '19:00' }, timestamp: 1 } };
    const key = { 'idempotency-key': 'cp-key-1' };
    const [a, b] = await Promise.all([publish(n1, body, key), publish(n2, body, key)]);
    assert.equal(a.status, 200);
    assert.deepEqual(b, a);
    const other = await publish(n2, { ...body, data: { ...body.data, updates: { doors: '20:00' } } }, key);
    assert.equal(other.body.error.code, 'IDEMPOTENCY_CONFLICT');
    const marker = next(fan, 'ticket-purchased');
    await publish(n1, { to: { eventId: 'cp-idem-ev' }, event: 'ticket-purchased', data: { ticketId: 'm', buyer: 'b', eventId: 'cp-idem-ev' } });
    await marker;
    assert.equal(seen.length, 1);
  });

  test('a webhook replayed to the other node is a duplicate and is not broadcast twice', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const fan = await n1.client('cp-wh', 'user');
    await request(fan, 'join-event', 'cp-wh-ev');
    const seen = collect(fan, 'ticket-purchased');
    const body = { id: 'cp-evt-1', type: 'ticket.purchased', data: { ticketId: 't', buyer: 'b', eventId: 'cp-wh-ev' } };
    const [a, b] = await Promise.all([sendWebhook(n1, 'tickets', body), sendWebhook(n2, 'tickets', body)]);
    assert.deepEqual([a.body.duplicate, b.body.duplicate].sort(), [false, true]);
    const marker = next(fan, 'event-updated');
    await sendWebhook(n2, 'tickets', { id: 'cp-evt-2', type: 'event.updated', data: { eventId: 'cp-wh-ev', updates: {} } });
    await marker;
    assert.equal(seen.length, 1);
  });
});
