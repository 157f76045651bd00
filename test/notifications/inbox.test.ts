import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { InboxEntry, NotificationPayload } from '../../src/protocol/index.ts';
import { collect, next, request } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { closeAll, unconnected } from './fixtures.ts';

const SEED_NOTIFICATION = {
  type: 'success',
  title: 'Trip Completed',
  message: 'Your trip has been completed successfully',
  data: { tripId: 'trip-uuid', amount: 27.5 },
  actions: [{ label: 'Rate Driver', action: 'rate_driver', data: { tripId: 'trip-uuid' } }],
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('notifications: inbox, counts, mark-read (seeds 000 and 001)', () => {
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  before(async () => (server = await startServer({}, { clock })));
  after(async () => {
    closeAll();
    await server.close();
  });

  const send = (userId: string, notification: Record<string, unknown>) => server.api('/api/notifications', { body: { userId, notification } });

  test('a notification reaches every socket of its user as `notification` (seed 000) and `notification:new` (seed 001), and nobody else', async () => {
    const phone = await server.client('in-1', 'passenger');
    const tablet = await server.client('in-1', 'passenger');
    const other = await server.client('in-1-other', 'passenger');
    const othersSaw = collect(other, 'notification');
    const got = [next(phone, 'notification'), next(phone, 'notification:new'), next(tablet, 'notification')];
    const expiresAt = new Date(clock.now() + 30 * 60_000).toISOString();
    const res = await send('in-1', { ...SEED_NOTIFICATION, expiresAt });
    assert.equal(res.status, 201);
    assert.match(res.body.id, UUID);
    assert.deepEqual(res.body, { id: res.body.id, broadcast: false, recipients: 1 });
    const [seed000, seed001, second] = await Promise.all(got);
    const expected: NotificationPayload = { id: res.body.id, ...SEED_NOTIFICATION, actions: [...SEED_NOTIFICATION.actions], timestamp: new Date(clock.now()).toISOString(), expiresAt };
    assert.deepEqual(seed000, expected);
    assert.deepEqual(seed001, { ...expected, _id: res.body.id });
    assert.deepEqual(second, expected);
    await request(other, 'ping'); // anything emitted before now has arrived
    assert.deepEqual(othersSaw, []);
  });

  test('notification:request-count answers `notification:count { count }` and the ack; mark-read by bare id, { notificationId } and "all"', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await send('in-2', { title: `N${i}`, message: `message ${i}` })).body.id as string);
    const socket = await server.client('in-2', 'passenger');
    const other = await server.client('in-2', 'passenger');

    const counted = next(socket, 'notification:count');
    assert.deepEqual(await request(socket, 'notification:request-count'), { success: true, data: { count: 3 } });
    assert.deepEqual(await counted, { count: 3 });

    // Seed 001 sends the id as a bare string; the fresh count reaches every socket of the user.
    const fresh = [next(socket, 'notification:count'), next(other, 'notification:count')];
    assert.deepEqual(await request(socket, 'notification:mark-read', ids[0]), { success: true, data: { marked: 1, count: 2 } });
    assert.deepEqual(await Promise.all(fresh), [{ count: 2 }, { count: 2 }]);
    assert.deepEqual(await request(socket, 'notification:mark-read', ids[0]), { success: true, data: { marked: 0, count: 2 } }, 'idempotent');
    assert.deepEqual(await request(socket, 'notification:mark-read', { notificationId: ids[1] }), { success: true, data: { marked: 1, count: 1 } });
    assert.deepEqual(await request(socket, 'notification:mark-read', 'all'), { success: true, data: { marked: 1, count: 0 } });
  });

  test('marking someone else\'s notification is NOT_FOUND and changes nothing; a malformed id is VALIDATION_ERROR', async () => {
    const { id } = (await send('in-3-owner', { message: 'mine' })).body;
    const thief = await server.client('in-3-thief', 'passenger');
    const answer = await request(thief, 'notification:mark-read', id);
    assert.equal(answer.success, false);
    assert.equal(!answer.success && answer.error.code, 'NOT_FOUND');
    const owner = await server.client('in-3-owner', 'passenger');
    assert.deepEqual(await request(owner, 'notification:request-count'), { success: true, data: { count: 1 } });
    for (const bad of ['not-an-id', 42, { notificationId: 'x'.repeat(500) }, null]) {
      const res = await request(owner, 'notification:mark-read', bad);
      assert.equal(!res.success && res.error.code, 'VALIDATION_ERROR', JSON.stringify(bad));
    }
  });

  test('a user offline while notifications arrived gets `notification:count` on connecting, and the list shows them newest first, paged', async () => {
    const sent = [];
    for (let i = 0; i < 5; i++) {
      sent.push((await send('in-4', { title: `Offline ${i}`, message: `while you were away ${i}` })).body.id as string);
      clock.advance(1000);
    }
    const socket = await unconnected(server, 'in-4', 'passenger');
    const count = next(socket, 'notification:count');
    socket.connect();
    assert.deepEqual(await count, { count: 5 });

    type Page = { notifications: InboxEntry[]; nextCursor: string | null; unreadCount: number };
    const first = await request<Page>(socket, 'notification:list', { limit: 2 });
    assert.ok(first.success);
    assert.deepEqual(first.data.notifications.map((n) => n.id), [sent[4], sent[3]]);
    assert.equal(first.data.unreadCount, 5);
    assert.equal(first.data.notifications[0]!.read, false);
    assert.equal(first.data.notifications[0]!.title, 'Offline 4');
    const second = await request<Page>(socket, 'notification:list', { limit: 2, cursor: first.data.nextCursor });
    assert.ok(second.success);
    assert.deepEqual(second.data.notifications.map((n) => n.id), [sent[2], sent[1]]);
    const last = await request<Page>(socket, 'notification:list', { limit: 2, cursor: second.data.nextCursor });
    assert.ok(last.success);
    assert.deepEqual(last.data.notifications.map((n) => n.id), [sent[0]]);
    assert.equal(last.data.nextCursor, null);

    await request(socket, 'notification:mark-read', sent[4]);
    const unread = await request<Page>(socket, 'notification:list', { unreadOnly: true });
    assert.ok(unread.success);
    assert.deepEqual(unread.data.notifications.map((n) => n.id), [sent[3], sent[2], sent[1], sent[0]]);
    const all = await request<Page>(socket, 'notification:list');
    assert.ok(all.success);
    assert.equal(all.data.notifications[0]!.read, true);
    assert.equal(all.data.notifications[0]!.readAt, new Date(clock.now()).toISOString());
  });

  test('a user with nothing unread gets no `notification:count` on connecting', async () => {
    const socket = await unconnected(server, 'in-5', 'driver');
    const counts = collect(socket, 'notification:count');
    const authenticated = next(socket, 'authenticated');
    socket.connect();
    await authenticated;
    // The session hook's count query was queued before this one (one PGlite connection, in order),
    // so its emit, had there been one, arrives before this answer.
    assert.equal((await request(socket, 'notification:list')).success, true);
    assert.deepEqual(counts, []);
  });

  test('expired notifications are not counted, listed or delivered; an expiresAt already past is refused', async () => {
    const socket = await server.client('in-6', 'passenger');
    await send('in-6', { message: 'lasts a minute', expiresAt: new Date(clock.now() + 60_000).toISOString() });
    await send('in-6', { message: 'lasts' });
    assert.deepEqual(await request(socket, 'notification:request-count'), { success: true, data: { count: 2 } });
    clock.advance(60_001);
    assert.deepEqual(await request(socket, 'notification:request-count'), { success: true, data: { count: 1 } });
    const list = await request<{ notifications: InboxEntry[] }>(socket, 'notification:list');
    assert.ok(list.success);
    assert.deepEqual(list.data.notifications.map((n) => n.message), ['lasts']);
    const late = await send('in-6', { message: 'too late', expiresAt: new Date(clock.now() - 1).toISOString() });
    assert.equal(late.status, 400);
    assert.equal(late.body.error.code, 'VALIDATION_ERROR');
  });

  test('a broadcast reaches every socket as `notification:broadcast` (seed 001) and `system-announcement` (seed 004), and is not stored', async () => {
    const sockets = [await server.client('bc-p', 'passenger'), await server.client('bc-d', 'driver'), await server.client('bc-a', 'admin'), await server.client('bc-u', 'user')];
    const broadcasts = sockets.map((s) => next(s, 'notification:broadcast'));
    const announcements = sockets.map((s) => next(s, 'system-announcement'));
    const res = await server.api('/api/notifications', { body: { broadcast: true, notification: { message: 'System maintenance in 5 minutes', type: 'warning' } } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, { id: res.body.id, broadcast: true, recipients: 0 });
    for (const b of await Promise.all(broadcasts)) {
      assert.deepEqual(b, { id: res.body.id, type: 'warning', title: '', message: 'System maintenance in 5 minutes', data: {}, actions: [], timestamp: new Date(clock.now()).toISOString(), expiresAt: null });
    }
    for (const a of await Promise.all(announcements)) assert.deepEqual(a, { message: 'System maintenance in 5 minutes', level: 'warning', timestamp: clock.now() });
    assert.deepEqual(await request(sockets[0]!, 'notification:request-count'), { success: true, data: { count: 0 } });
  });

  test('the HTTP API: admin or service only, exactly one target, bounded fields, and a dedupe key makes a retry harmless', async () => {
    const passenger = await server.token('in-7-p', 'passenger');
    assert.equal((await server.api('/api/notifications', { token: passenger, body: { userId: 'x', notification: { message: 'm' } } })).status, 403);
    assert.equal((await server.api('/api/notifications', { token: null, body: { userId: 'x', notification: { message: 'm' } } })).status, 401);
    const service = await server.token('billing', 'service');
    assert.equal((await server.api('/api/notifications', { token: service, body: { userId: 'in-7', notification: { message: 'm' } } })).status, 201);
    for (const body of [
      { userId: 'a', userIds: ['b'], notification: { message: 'm' } },
      { notification: { message: 'm' } },
      { userId: 'a', notification: { message: '' } },
      { userId: 'a', notification: { message: 'm', type: 'shout' } },
      { userId: 'a', notification: { message: 'm', title: 'x'.repeat(201) } },
      { userId: 'a', notification: { message: 'm', actions: Array.from({ length: 6 }, () => ({ label: 'l', action: 'a' })) } },
      { userId: 'a', notification: { message: 'm', data: { blob: 'x'.repeat(9000) } } },
      { broadcast: true, dedupeKey: 'k', notification: { message: 'm' } },
    ]) {
      const res = await server.api('/api/notifications', { body });
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 120));
      assert.equal(res.body.error.code, 'VALIDATION_ERROR');
    }
    const first = await server.api('/api/notifications', { body: { userId: 'in-7', dedupeKey: 'order-42', notification: { message: 'once' } } });
    const again = await server.api('/api/notifications', { body: { userId: 'in-7', dedupeKey: 'order-42', notification: { message: 'once' } } });
    assert.equal(first.status, 201);
    assert.deepEqual(again.body, { id: null, broadcast: false, recipients: 0 });
    assert.equal(again.status, 200);
    const socket = await server.client('in-7', 'passenger');
    assert.deepEqual(await request(socket, 'notification:request-count'), { success: true, data: { count: 2 } });
    const spec = await server.api('/openapi.json');
    assert.ok(spec.body.paths['/api/notifications']?.post, 'in the OpenAPI document');
  });
});
