import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { collect, next, request } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { sendWebhook, TICKETS_SECRET } from './fixtures.ts';

describe('POST /webhooks/:source (signed, public)', () => {
  let server: TestServer;
  before(async () => { server = await startServer({ WEBHOOK_SECRET_TICKETS: TICKETS_SECRET, WEBHOOK_SECRET_BILLING_EU: 'billing-eu-secret-0123456789' }); });
  after(async () => { await server.close(); });
  const purchase = (id: string, eventId: string) => ({ id, type: 'ticket.purchased', data: { ticketId: `t-${id}`, buyer: 'u-1', eventId } });

  test('a signed ticket.purchased becomes ticket-purchased in the event room; no bearer token needed', async () => {
    const fan = await server.client('wh-fan', 'user');
    await request(fan, 'join-event', 'wh-ev');
    const got = next(fan, 'ticket-purchased');
    const res = await sendWebhook(server, 'tickets', purchase('evt-1', 'wh-ev'));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { received: true, duplicate: false, recipients: 1 });
    const p = await got;
    assert.equal(p.ticketId, 't-evt-1');
    assert.equal(typeof p.timestamp, 'number');
  });

  test('a replayed event id is answered { duplicate: true } and not broadcast again', async () => {
    const fan = await server.client('wh-fan2', 'user');
    await request(fan, 'join-event', 'wh-ev2');
    const seen = collect(fan, 'ticket-purchased');
    assert.equal((await sendWebhook(server, 'tickets', purchase('evt-2', 'wh-ev2'))).body.duplicate, false);
    const replay = await sendWebhook(server, 'tickets', purchase('evt-2', 'wh-ev2'));
    assert.equal(replay.status, 200);
    assert.equal(replay.body.duplicate, true);
    // The same id from another source is another event.
    const other = await sendWebhook(server, 'billing-eu', purchase('evt-2', 'wh-ev2'), { secret: 'billing-eu-secret-0123456789' });
    assert.equal(other.body.duplicate, false);
    const marker = next(fan, 'event-updated');
    await sendWebhook(server, 'tickets', { id: 'evt-2-marker', type: 'event.updated', data: { eventId: 'wh-ev2', updates: { venue: 'B' } } });
    assert.deepEqual((await marker).updates, { venue: 'B' });
    assert.equal(seen.length, 2);
  });

  test('bad, missing, other-secret and stale signatures are 401 INVALID_SIGNATURE; nothing is recorded', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const opts of [{ signature: 't=1,v1=00' }, { signature: '' }, { secret: 'another-secret-0123456789' }, { t: now - 301 }, { t: now + 301 }]) {
      const res = await sendWebhook(server, 'tickets', purchase('evt-bad', 'wh-ev3'), opts);
      assert.equal(res.status, 401, JSON.stringify(opts));
      assert.equal(res.body.error.code, 'INVALID_SIGNATURE');
    }
    // Within the tolerance, and the id was not taken by the refused attempts.
    const ok = await sendWebhook(server, 'tickets', purchase('evt-bad', 'wh-ev3'), { t: now - 240 });
    assert.deepEqual(ok.body, { received: true, duplicate: false, recipients: 0 });
  });

  test('a body changed after signing is refused', async () => {
    const t = Math.floor(Date.now() / 1000);
    const { signWebhook } = await import('../../src/modules/publish/index.ts');
    const signature = signWebhook(TICKETS_SECRET, JSON.stringify(purchase('evt-x', 'a')), t);
    const res = await sendWebhook(server, 'tickets', purchase('evt-x', 'b'), { signature });
    assert.equal(res.status, 401);
  });

  test('an unknown source is 404; a bad body is 400 and can be corrected; an oversized body is 413', async () => {
    assert.equal((await sendWebhook(server, 'nobody', purchase('evt-3', 'e'))).status, 404);
    const noEvent = await sendWebhook(server, 'tickets', { id: 'evt-4', type: 'ticket.purchased', data: { ticketId: 't', buyer: 'b' } });
    assert.equal(noEvent.status, 400);
    assert.equal((await sendWebhook(server, 'tickets', { id: 'evt-4', type: 'ticket.exploded', data: {} })).status, 400);
    assert.equal((await sendWebhook(server, 'tickets', '{not json')).status, 400);
    assert.equal((await sendWebhook(server, 'tickets', purchase('evt-4', 'e'))).body.duplicate, false);
    const big = await sendWebhook(server, 'tickets', { id: 'evt-5', type: 'market.update', data: { blob: 'x'.repeat(300 * 1024) } });
    assert.equal(big.status, 413);
  });

  test('seed 004 types: balance to the user, announcements and market data to everyone', async () => {
    const user = await server.client('wh-user', 'user');
    const balance = next(user, 'balance-updated');
    await sendWebhook(server, 'tickets', { id: 'evt-6', type: 'balance.updated', data: { userId: 'wh-user', balance: 42, token: 'TIX' } });
    assert.equal((await balance).balance, 42);
    const announced = next(user, 'system-announcement');
    await sendWebhook(server, 'tickets', { id: 'evt-7', type: 'system-announcement', data: { message: 'Doors open', level: 'info' } });
    assert.equal((await announced).message, 'Doors open');
  });
});
