import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';
import { next, type Client } from '../helpers/client.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import type { TestServer } from '../helpers/server.ts';

describe('bookings across two nodes (shared Redis and PostgreSQL)', () => {
  let cluster: TestCluster | null = null;
  const opened: Client[] = [];
  before(async () => { cluster = await startCluster(2); });
  after(async () => {
    for (const s of opened) s.close();
    await cluster?.close();
  });
  const nodes = () => cluster!.nodes as [TestServer, TestServer];

  test('a booking created through node 1 puts its participant on node 2 in the room at once: booking.created, then updates', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const guest = await n2.client('cb-guest', 'user');
    const created = next(guest, 'booking.created');
    const res = await n1.api('/api/bookings', { body: { listingId: 'listing-1', participants: ['cb-guest'] } });
    assert.equal(res.status, 201);
    const id = res.body.booking.id;
    assert.deepEqual(await created, { bookingId: id, listingId: 'listing-1', status: 'pending' });
    // Only the booking room (not user rooms) carries updates: the join reached node 2.
    const updated = next(guest, 'booking.updated');
    await n1.api(`/api/bookings/${id}`, { method: 'PATCH', body: { status: 'confirmed' } });
    assert.equal((await updated).status, 'confirmed');
    const paid = next(guest, 'payment.processing');
    await n1.api(`/api/bookings/${id}/payments`, { body: { paymentId: 'cb-pay', amount: 5, status: 'processing' } });
    assert.equal((await paid).amount, 5);
    const cancelled = next(guest, 'booking.cancelled');
    await n1.api(`/api/bookings/${id}`, { method: 'PATCH', body: { status: 'cancelled', reason: 'changed plans' } });
    assert.deepEqual(await cancelled, { bookingId: id, reason: 'changed plans' });
  });

  test('a participant connecting to node 2 joins the rooms of bookings created through node 1', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const { booking } = (await n1.api('/api/bookings', { body: { listingId: 'l', participants: ['cb-late'] } })).body;
    const socket: Client = io(n2.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: await n2.token('cb-late', 'user') } });
    opened.push(socket);
    await next(socket, 'authenticated');
    const deadline = Date.now() + 5000;
    while (!n2.app.io.of('/').adapter.rooms.get(`booking:${booking.id}`)?.has(socket.id!)) {
      if (Date.now() > deadline) throw new Error('not joined at connect');
      await new Promise((r) => setTimeout(r, 20));
    }
    const updated = next(socket, 'booking.updated');
    await n1.api(`/api/bookings/${booking.id}`, { method: 'PATCH', body: { status: 'confirmed' } });
    assert.equal((await updated).status, 'confirmed');
  });

  test('status changes racing on two nodes against PostgreSQL: exactly one of each pair wins', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    for (let i = 0; i < 10; i++) {
      const { booking } = (await n1.api('/api/bookings', { body: { listingId: 'l', participants: ['cb-race'] } })).body;
      const results = await Promise.all([
        n1.api(`/api/bookings/${booking.id}`, { method: 'PATCH', body: { status: 'confirmed' } }),
        n2.api(`/api/bookings/${booking.id}`, { method: 'PATCH', body: { status: 'confirmed' } }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `round ${i}`);
    }
  });
});
