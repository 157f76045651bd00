import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { collect, next, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/** Connects without waiting, so listeners are in place before the session hooks run. */
async function connectListening(server: TestServer, sub: string, events: string[]): Promise<{ socket: Client; seen: Record<string, unknown[]> }> {
  const socket: Client = io(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: await server.token(sub, 'user') } });
  const seen = Object.fromEntries(events.map((e) => [e, collect(socket, e as 'booking.created')]));
  await next(socket, 'authenticated');
  opened.push(socket);
  return { socket, seen };
}
const opened: Client[] = [];

describe('bookings over HTTP and booking rooms (seed 002)', () => {
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(async () => {
    for (const s of opened) s.close();
    await server.close();
  });
  const create = (body: unknown) => server.api('/api/bookings', { body });
  const patch = (id: string, body: unknown) => server.api(`/api/bookings/${id}`, { method: 'PATCH', body });

  test('every route needs a staff token: none is 401, a user token is 403', async () => {
    const userToken = await server.token('u-x', 'user');
    for (const [method, path, body] of [['POST', '/api/bookings', { listingId: 'l', participants: ['a'] }], ['PATCH', '/api/bookings/b1', { status: 'confirmed' }], ['POST', '/api/bookings/b1/payments', { paymentId: 'p', amount: 1, status: 'processing' }], ['GET', '/api/bookings/b1', undefined]] as const) {
      assert.equal((await server.api(path, { method, body, token: null })).status, 401, `${method} ${path}`);
      const forbidden = await server.api(path, { method, body, token: userToken });
      assert.equal(forbidden.status, 403, `${method} ${path}`);
      assert.equal(forbidden.body.error.code, 'FORBIDDEN');
    }
  });

  test('bad bodies are 400 VALIDATION_ERROR', async () => {
    for (const body of [{ listingId: 'l' }, { listingId: 'l', participants: [] }, { listingId: 'l', participants: ['a'], status: 'active' }, { listingId: 'l\u0000', participants: ['a'] }]) {
      const res = await create(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    }
    await create({ id: 'val-1', listingId: 'l', participants: ['a'] });
    assert.equal((await patch('val-1', { status: 'paid' })).status, 400);
    assert.equal((await patch('val-1', { status: 'confirmed', reason: 'x' })).status, 400);
    assert.equal((await server.api('/api/bookings/val-1/payments', { body: { paymentId: 'p', amount: 1.234, status: 'processing' } })).status, 400);
    assert.equal((await server.api('/api/bookings/val-1/payments', { body: { paymentId: 'p', amount: 1, status: 'done' } })).status, 400);
  });

  test('a created booking puts its connected participants in the room at once: they get booking.created, then its updates', async () => {
    const guest = await server.client('bk-guest', 'user');
    const host = await server.client('bk-host', 'user');
    const other = await server.client('bk-other', 'user');
    const otherSeen = collect(other, 'booking.updated');
    const created = [next(guest, 'booking.created'), next(host, 'booking.created')];
    const res = await create({ listingId: 'listing-9', participants: ['bk-guest', 'bk-host', 'bk-guest'] });
    assert.equal(res.status, 201);
    const { booking } = res.body;
    assert.deepEqual(booking.participants, ['bk-guest', 'bk-host']);
    assert.equal(booking.status, 'pending');
    for (const payload of await Promise.all(created)) assert.deepEqual(payload, { bookingId: booking.id, listingId: 'listing-9', status: 'pending' });

    const updated = next(host, 'booking.updated');
    assert.equal((await patch(booking.id, { status: 'confirmed' })).status, 200);
    const u = await updated;
    assert.equal(u.bookingId, booking.id);
    assert.equal(u.status, 'confirmed');
    assert.ok(!Number.isNaN(Date.parse(u.timestamp)));
    assert.equal(otherSeen.length, 0);
  });

  test('a participant connecting later joins the rooms of their open bookings, not of finished ones', async () => {
    const open = (await create({ listingId: 'l', participants: ['bk-late'] })).body.booking;
    const done = (await create({ listingId: 'l', participants: ['bk-late'] })).body.booking;
    await patch(done.id, { status: 'cancelled' });
    const { socket } = await connectListening(server, 'bk-late', []);
    await eventually(() => assert.ok(server.app.io.of('/').adapter.rooms.get(`booking:${open.id}`)?.has(socket.id!), 'server.app.io.of(\'/\').adapter.rooms.get(`booking:${open.id}`)?.has(socket.id!)'));
    assert.equal(server.app.io.of('/').adapter.rooms.get(`booking:${done.id}`)?.has(socket.id!) ?? false, false);
    const updated = next(socket, 'booking.updated');
    await patch(open.id, { status: 'confirmed' });
    assert.equal((await updated).status, 'confirmed');
  });

  test('the status machine: pending → confirmed → active → completed; anything else is 409 INVALID_STATE; completed rooms are left', async () => {
    const guest = await server.client('bk-sm', 'user');
    const { booking } = (await create({ listingId: 'l', participants: ['bk-sm'] })).body;
    const illegal = await patch(booking.id, { status: 'active' });
    assert.equal(illegal.status, 409);
    assert.equal(illegal.body.error.code, 'INVALID_STATE');
    for (const status of ['confirmed', 'active', 'completed']) {
      const res = await patch(booking.id, { status });
      assert.equal(res.status, 200, status);
      assert.equal(res.body.booking.status, status);
    }
    assert.equal((await patch(booking.id, { status: 'cancelled' })).body.error.code, 'INVALID_STATE');
    await eventually(() => assert.equal(guest.id && server.app.io.of('/').adapter.rooms.get(`booking:${booking.id}`)?.has(guest.id), undefined));
    assert.equal((await patch('no-such-booking', { status: 'confirmed' })).status, 404);
  });

  test('cancelling sends booking.cancelled with the reason, then the room is left by everyone', async () => {
    const guest = await server.client('bk-c1', 'user');
    const { booking } = (await create({ listingId: 'l', participants: ['bk-c1'] })).body;
    await patch(booking.id, { status: 'confirmed' });
    const cancelled = next(guest, 'booking.cancelled');
    const res = await patch(booking.id, { status: 'cancelled', reason: 'host unavailable' });
    assert.equal(res.body.booking.cancelReason, 'host unavailable');
    assert.deepEqual(await cancelled, { bookingId: booking.id, reason: 'host unavailable' });
    await eventually(() => assert.equal(server.app.io.of('/').adapter.rooms.get(`booking:${booking.id}`), undefined));
    assert.equal((await patch(booking.id, { status: 'confirmed' })).status, 409);
  });

  test('two status changes racing: exactly one wins, the other is 409', async () => {
    const guest = await server.client('bk-race', 'user');
    const { booking } = (await create({ listingId: 'l', participants: ['bk-race'] })).body;
    const updates = collect(guest, 'booking.updated');
    const results = await Promise.all([patch(booking.id, { status: 'confirmed' }), patch(booking.id, { status: 'confirmed' })]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.equal(results.find((r) => r.status === 409)!.body.error.code, 'INVALID_STATE');
    const next2 = next(guest, 'booking.updated');
    await patch(booking.id, { status: 'active' });
    await next2;
    // One change, one event: the loser emitted nothing.
    assert.deepEqual(updates.map((u) => (u as { status: string }).status), ['confirmed', 'active']);
  });

  test('payment reports become payment.processing, payment.completed and payment.failed in the booking room', async () => {
    const guest = await server.client('bk-pay', 'user');
    const { booking } = (await create({ listingId: 'l', participants: ['bk-pay'] })).body;
    const processing = next(guest, 'payment.processing');
    // Durable for the participants: each carries the participant's stream position.
    const seqs: number[] = [];
    for (const ev of ['payment.processing', 'payment.completed', 'payment.failed'] as const) guest.on(ev, (p: unknown) => seqs.push((p as { _seq?: number })._seq ?? -1));
    const pay = (body: unknown) => server.api(`/api/bookings/${booking.id}/payments`, { body });
    assert.equal((await pay({ paymentId: 'pay-1', amount: 120.5, status: 'processing' })).status, 200);
    assert.deepEqual(await processing, { bookingId: booking.id, paymentId: 'pay-1', amount: 120.5 });
    const completed = next(guest, 'payment.completed');
    await pay({ paymentId: 'pay-1', amount: 120.5, status: 'completed' });
    assert.deepEqual(await completed, { bookingId: booking.id, paymentId: 'pay-1', status: 'completed' });
    // Final: a second report of a finished payment is refused.
    assert.equal((await pay({ paymentId: 'pay-1', amount: 120.5, status: 'failed' })).body.error.code, 'INVALID_STATE');
    const failed = next(guest, 'payment.failed');
    await pay({ paymentId: 'pay-2', amount: 10, status: 'failed', error: 'card declined' });
    assert.deepEqual(await failed, { bookingId: booking.id, paymentId: 'pay-2', error: 'card declined' });
    assert.equal(seqs.length, 3);
    assert.ok(seqs.every((seq, i) => seq > 0 && (i === 0 || seq > seqs[i - 1]!)), `increasing _seq: ${seqs.join(',')}`);
    assert.equal((await server.api('/api/bookings/nope/payments', { body: { paymentId: 'pay-3', amount: 1, status: 'processing' } })).status, 404);
  });

  test('a taken id is 409 CONFLICT', async () => {
    assert.equal((await create({ id: 'dup-1', listingId: 'l', participants: ['a'] })).status, 201);
    const again = await create({ id: 'dup-1', listingId: 'l', participants: ['a'] });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'CONFLICT');
  });
});
