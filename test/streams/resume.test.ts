import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StreamsRepository } from '../../src/modules/streams/index.ts';
import { request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { connectRecording, publishMany, publishTo, range, seqsOf, type Seen } from './fixtures.ts';

describe('durable streams: _seq, resume with auth.lastSeq and stream:resume', () => {
  let server: TestServer;
  const clients: Client[] = [];
  before(async () => { server = await startServer(); });
  after(async () => {
    clients.forEach((c) => c.close());
    await server.close();
  });
  const connect = async (userId: string, lastSeq?: number | string, seen: Seen[] = []) => {
    const r = await connectRecording(server.url, await server.token(userId, 'user'), lastSeq, seen);
    clients.push(r.c);
    return r;
  };

  test('publishes to a user carry a per-user _seq from 1; room publishes carry none and are not stored', async () => {
    const { c, seen } = await connect('s-live');
    for (let n = 1; n <= 3; n++) await publishTo(server, 's-live', n);
    await eventually(() => assert.deepEqual(seqsOf(seen), [1, 2, 3]));
    assert.deepEqual(seen.filter((s) => s.event === 'x-tick').map((s) => (s.payload as { n: number }).n), [1, 2, 3]);

    const before = await server.app.db.query<{ n: string }>('SELECT count(*)::text AS n FROM stream_events');
    await request(c, 'join-event', 's-ev');
    await server.api('/api/publish', { body: { to: { eventId: 's-ev' }, event: 'x-room', data: { a: 1 } } });
    await eventually(() => assert.ok(seen.some((s) => s.event === 'x-room'), 'seen.some((s) => s.event === \'x-room\')'));
    assert.equal(seen.find((s) => s.event === 'x-room')!.seq, undefined);
    const afterCount = await server.app.db.query<{ n: string }>('SELECT count(*)::text AS n FROM stream_events');
    assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n);
  });

  test('a client reconnecting with auth.lastSeq gets every missed event once, in order, then live ones', async () => {
    const first = await connect('s-re');
    for (let n = 1; n <= 5; n++) await publishTo(server, 's-re', n);
    await eventually(() => assert.deepEqual(seqsOf(first.seen), range(1, 5)));
    first.c.close();
    for (let n = 6; n <= 12; n++) await publishTo(server, 's-re', n);

    // A numeric string, as the SSE transport passes Last-Event-ID.
    const second = await connect('s-re', '5');
    await eventually(() => assert.deepEqual(seqsOf(second.seen), range(6, 12)));
    await publishTo(server, 's-re', 13);
    await eventually(() => assert.deepEqual(seqsOf(second.seen), range(6, 13)));
    assert.deepEqual(second.seen.filter((s) => s.event === 'x-tick').map((s) => (s.payload as { n: number }).n), range(6, 13));
  });

  test('stream:resume mid-connection replays after the given seq and answers the position', async () => {
    // Stored while the user was away; the socket connects without a position (as a /ws client does before its resume frame).
    for (let n = 1; n <= 4; n++) await publishTo(server, 's-mid', n);
    const { c, seen } = await connect('s-mid');
    const res = await request<{ replayed: number; headSeq: number }>(c, 'stream:resume', { seq: 1 });
    assert.deepEqual(res, { success: true, data: { replayed: 3, headSeq: 4 } });
    await eventually(() => assert.deepEqual(seqsOf(seen), [2, 3, 4]));
    await publishTo(server, 's-mid', 5);
    await eventually(() => assert.deepEqual(seqsOf(seen), [2, 3, 4, 5]));
    // Asked again for what this socket already has: nothing is sent twice.
    const again = await request<{ replayed: number; headSeq: number }>(c, 'stream:resume', { seq: 1 });
    assert.deepEqual(again, { success: true, data: { replayed: 0, headSeq: 5 } });
    const bad = await request(c, 'stream:resume', { seq: -1 });
    assert.equal(bad.success, false);
  });

  test('events produced while a replay runs arrive once, in order, after it (the seam)', async () => {
    for (let n = 1; n <= 1200; n += 200) await publishMany(server, 's-seam', range(n, n + 199));
    const { seen } = await connect('s-seam', 0);
    // Live traffic while the stored 1,200 are read page by page.
    const live = (async () => { for (let n = 1201; n <= 1300; n++) await publishTo(server, 's-seam', n); })();
    await live;
    await eventually(() => assert.deepEqual(seqsOf(seen), range(1, 1300)), 15_000);
  });

  test('a position older than retention gets recovery:incomplete { oldestSeq }, then what is retained', async () => {
    for (let n = 1; n <= 3; n++) await publishTo(server, 's-old', n);
    // Everything so far past retention: purged as the periodic purge would.
    await new StreamsRepository(server.app.db).purgeBatch(new Date(Date.now() + 60_000), 1_000_000);
    for (let n = 4; n <= 5; n++) await publishTo(server, 's-old', n);
    const { seen } = await connect('s-old', 1);
    await eventually(() => assert.deepEqual(seqsOf(seen), [4, 5]));
    const incomplete = seen.filter((s) => s.event === 'recovery:incomplete');
    assert.deepEqual(incomplete.map((s) => s.payload), [{ oldestSeq: 4 }]);
    assert.ok(seen.indexOf(incomplete[0]!) < seen.findIndex((s) => s.seq === 4), 'recovery:incomplete comes first');

    // All of a user's entries purged: the next position is the oldest there could be.
    await new StreamsRepository(server.app.db).purgeBatch(new Date(Date.now() + 60_000), 1_000_000);
    const again = await connect('s-old', 2);
    await eventually(() => assert.deepEqual(again.seen.filter((s) => s.event === 'recovery:incomplete').map((s) => s.payload), [{ oldestSeq: 6 }]));
    // Up to date: nothing to say.
    const current = await connect('s-old', 5);
    await publishTo(server, 's-old', 6);
    await eventually(() => assert.deepEqual(seqsOf(current.seen), [6]));
    assert.equal(current.seen.some((s) => s.event === 'recovery:incomplete'), false);
  });

  test('notifications are durable in both seed shapes; notification:count is transient', async () => {
    const { seen } = await connect('s-notif');
    await server.app.notifications.service.notifyUser('s-notif', { type: 'info', title: 'Hi', message: 'one' });
    await eventually(() => {
      const durable = seen.filter((s) => s.event === 'notification' || s.event === 'notification:new');
      assert.deepEqual(durable.map((s) => s.seq).sort(), [1, 2]);
    });
    await server.app.notifications.service.markRead('s-notif', 'all');
    await eventually(() => assert.ok(seen.some((s) => s.event === 'notification:count' && s.seq === undefined), 'seen.some((s) => s.event === \'notification:count\' && s.seq === undefined)'));
    seen.length = 0;
    const { seen: replayed } = await connect('s-notif', 0);
    await eventually(() => assert.deepEqual(seqsOf(replayed), [1, 2]));
    assert.deepEqual(replayed.filter((s) => s.seq !== undefined).map((s) => s.event).sort(), ['notification', 'notification:new']);
  });
});
