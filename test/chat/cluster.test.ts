import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { createChatModule, type ChatEvents } from '../../src/modules/chat/index.ts';
import { DomainEvents } from '../../src/core/domain-events.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { openDatabase, type Database } from '../../src/storage/index.ts';
import { next, request } from '../helpers/client.ts';
import { freshDatabase, startCluster, type TestCluster } from '../helpers/cluster.ts';
import { eventually } from '../helpers/eventually.ts';
import type { TestServer } from '../helpers/server.ts';
import { CHAT_ENV, joined, makeRoom, never, send } from './fixtures.ts';

describe('chat across two nodes (shared Redis and PostgreSQL)', () => {
  let cluster: TestCluster | null = null;
  before(async () => {
    cluster = await startCluster(2, CHAT_ENV);
  });
  after(() => cluster?.close());
  const nodes = () => cluster!.nodes as [TestServer, TestServer];

  test('a message and typing sent on node 1 reach a member on node 2', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const room = await makeRoom(n1, ['cn-a', 'cn-b']);
    const [a, b] = [await n1.client('cn-a', 'user'), await n2.client('cn-b', 'user')];
    await joined(a, room.id);
    await joined(b, room.id);
    const got = next(b, 'message:new');
    const m = await send(a, room.id, 'across nodes');
    assert.deepEqual(await got, m);
    const typing = next(b, 'user:typing');
    assert.ok((await request(a, 'typing:start', { roomId: room.id })).success);
    assert.equal((await typing).userId, 'cn-a');
    const stopped = next(b, 'user:stopped-typing');
    assert.ok((await request(a, 'typing:stop', { roomId: room.id })).success);
    assert.equal((await stopped).userId, 'cn-a');
  });

  test('a member removed through node 1 leaves the room on node 2 at once', async (t) => {
    if (!cluster) return t.skip('redis-server or PostgreSQL missing');
    const [n1, n2] = nodes();
    const room = await makeRoom(n1, ['rm-a', 'rm-b']);
    const [a, b] = [await n1.client('rm-a', 'user'), await n2.client('rm-b', 'user')];
    await joined(a, room.id);
    await joined(b, room.id);
    assert.equal((await n1.api(`/api/chat/rooms/${room.id}/members/rm-b`, { method: 'DELETE' })).status, 200);
    await eventually(async () => assert.equal((await n2.app.io.local.in(`chat:${room.id}`).fetchSockets()).length, 0));
    const quiet = never(b, 'message:new');
    await send(a, room.id, 'not for rm-b');
    await quiet;
  });
});

/** The repository contract on both engines: the same SQL, the same answers. */
for (const engine of ['pglite', 'postgres'] as const) {
  describe(`chat storage on ${engine}`, () => {
    let db: Database | null = null;
    before(async () => {
      const url = engine === 'postgres' ? ((await freshDatabase()) ?? undefined) : undefined;
      if (engine === 'postgres' && !url) return;
      db = await openDatabase({ databaseUrl: url, poolSize: 5, dataDir: 'memory' });
      const { migrate } = await import('../../src/storage/index.ts');
      await migrate(db);
    });
    after(() => db?.close());
    const chat = () => createChatModule({ db: db!, events: new DomainEvents<ChatEvents>(createLogger('silent', 't')), clock: new ManualClock(Date.now()), settings: { encryptionKeys: [], tripRoomCloseAfterMs: 0 } });

    test('direct rooms, tempId retries and read receipts hold under concurrency', async (t) => {
      if (!db) return t.skip('PostgreSQL missing');
      const { rooms, messages } = chat();
      const direct = await Promise.all(Array.from({ length: 8 }, (_, i) => rooms.direct(i % 2 ? 'sa' : 'sb', i % 2 ? 'sb' : 'sa')));
      assert.equal(new Set(direct.map((r) => r.id)).size, 1);
      const sender = { id: 'sa', name: 'A' };
      const sent = await Promise.all(Array.from({ length: 8 }, () => messages.sendDirect(sender, 'sb', { content: 'once', type: 'text', tempId: 'same' })));
      assert.equal(new Set(sent.map((m) => m.id)).size, 1);
      const reads = await Promise.all(Array.from({ length: 4 }, () => messages.markRead('sb', sent[0]!.id)));
      assert.equal(new Set(reads.map((r) => r.readAt)).size, 1);
      const page = await messages.history(direct[0]!.id, 'sb', { limit: 10 });
      assert.equal(page.messages[0]!.readBy, 1);
      await assert.rejects(messages.markRead('stranger', sent[0]!.id), { code: 'NOT_FOUND' });
      await assert.rejects(messages.history(direct[0]!.id, 'stranger', { limit: 10 }), { code: 'ROOM_ACCESS_DENIED' });
    });

    test('keyset history walks every message once while others arrive', async (t) => {
      if (!db) return t.skip('PostgreSQL missing');
      const { rooms, messages } = chat();
      const { room } = await rooms.create({ id: randomUUID(), name: 'k', type: 'group', members: ['ka', 'kb'] });
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) ids.push((await messages.send({ id: 'ka', name: 'A' }, room.id, { content: `m${i}`, type: 'text' })).id);
      const walked: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await messages.history(room.id, 'kb', { before, limit: 7 });
        walked.push(...page.messages.map((m) => m.id));
        await messages.send({ id: 'kb', name: 'B' }, room.id, { content: 'interleaved', type: 'text' });
        if (!page.nextCursor) break;
        before = page.nextCursor;
      }
      assert.deepEqual(walked, [...ids].reverse());
    });
  });
}
