import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatMessagePayload, HistoryPage } from '../../src/protocol/index.ts';
import { collect, next, request } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { CHAT_ENV, joined, makeRoom, never, send } from './fixtures.ts';

describe('chat rooms and messages (seed 003) on one node', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(CHAT_ENV);
    await server.api('/api/users', { body: { id: 'amira', role: 'user', name: 'Amira' } });
  });
  after(() => server.close());

  test('a member joins: ack and room:joined with members and messages; the others get user:joined:room', async () => {
    const room = await makeRoom(server, ['amira', 'badr'], { name: 'Team' });
    assert.equal(room.type, 'group');
    const badr = await server.client('badr', 'user');
    await joined(badr, room.id);
    const amira = await server.client('amira', 'user');
    const announced = next(badr, 'user:joined:room');
    const ev = next(amira, 'room:joined');
    const r = await request(amira, 'room:join', { roomId: room.id });
    assert.ok(r.success);
    const payload = await ev;
    assert.deepEqual(r.data, payload);
    assert.deepEqual(payload.room.members.map((m) => [m.id, m.name]).sort(), [['amira', 'Amira'], ['badr', 'badr']]);
    assert.deepEqual(payload.messages, []);
    assert.deepEqual(await announced, { roomId: room.id, user: { id: 'amira', name: 'Amira' } });
  });

  test('non-members can neither join, read history, send, type nor read-receipt', async () => {
    const room = await makeRoom(server, ['m1', 'm2']);
    const member = await server.client('m1', 'user');
    await joined(member, room.id);
    const msg = await send(member, room.id, 'secret');
    const outsider = await server.client('outsider', 'user');
    for (const [event, payload] of [
      ['room:join', { roomId: room.id }], ['room:history', { roomId: room.id }], ['message:send', { roomId: room.id, content: 'hi' }],
      ['typing:start', { roomId: room.id }], ['message.typing', { conversationId: room.id }], ['room:join', { roomId: 'no-such-room' }],
    ] as const) {
      const r = await request(outsider, event, payload);
      assert.equal(r.success ? 'ok' : r.error.code, 'ROOM_ACCESS_DENIED', event);
    }
    const read = await request(outsider, 'message:read', { messageId: msg.id });
    assert.equal(read.success ? 'ok' : read.error.code, 'NOT_FOUND');
    const { rows } = await server.app.db.query('SELECT 1 FROM chat_reads WHERE message_id = $1', [msg.id]);
    assert.equal(rows.length, 0);
  });

  test('message:send: stored, then message:new to the room; the sending socket gets the ack instead, the sender\'s other socket the event', async () => {
    const room = await makeRoom(server, ['s1', 's2']);
    const [a, aOther, b] = [await server.client('s1', 'user'), await server.client('s1', 'user'), await server.client('s2', 'user')];
    for (const c of [a, aOther, b]) await joined(c, room.id);
    const seenByB = next(b, 'message:new');
    const seenByOther = next(aOther, 'message:new');
    const notToSender = never(a, 'message:new');
    const message = await send(a, room.id, '  hello <b>team</b>  ', 't-1');
    assert.equal(message.content, 'hello <b>team</b>');
    assert.equal(message.senderId, 's1');
    assert.deepEqual(message.sender, { id: 's1', name: 's1' });
    assert.equal(message.tempId, 't-1');
    assert.equal(message.readBy, 0);
    assert.deepEqual(await seenByB, message);
    assert.deepEqual(await seenByOther, message);
    await notToSender;
  });

  test('content: trimmed, 1–5000 characters, HTML reduced to the allowlist', async () => {
    const room = await makeRoom(server, ['h1']);
    const c = await server.client('h1', 'user');
    const code = async (content: string) => {
      const r = await request(c, 'message:send', { roomId: room.id, content });
      return r.success ? 'ok' : r.error.code;
    };
    assert.equal(await code('   '), 'EMPTY_MESSAGE');
    assert.equal(await code('<script>alert(1)</script>'), 'EMPTY_MESSAGE');
    assert.equal(await code('x'.repeat(5001)), 'MESSAGE_TOO_LONG');
    assert.equal(await code(` ${'x'.repeat(5000)} `), 'ok');
    const m = await send(c, room.id, '<p onclick="steal()">hi <a href="javascript:alert(1)">x</a> <a href="https://ok.example">y</a><img src=x onerror=1><script>bad()</script><iframe src="https://evil"></iframe></p>');
    assert.equal(m.content, '<p>hi <a>x</a> <a href="https://ok.example">y</a></p>');
    const { rows } = await server.app.db.query<{ content: string }>('SELECT content FROM chat_messages WHERE id = $1', [m.id]);
    assert.equal(rows[0]!.content, m.content, 'what is stored is what was sanitized');
  });

  test('the same tempId from the same sender stores one message, also when the retries race; the room sees it once', async () => {
    const room = await makeRoom(server, ['r1', 'r2']);
    const [a, b] = [await server.client('r1', 'user'), await server.client('r2', 'user')];
    await joined(a, room.id);
    await joined(b, room.id);
    const seen = collect(b, 'message:new');
    const answers = await Promise.all([1, 2, 3].map(() => send(a, room.id, 'only once', 'retry-1')));
    answers.push(await send(a, room.id, 'only once', 'retry-1'));
    assert.equal(new Set(answers.map((m) => m.id)).size, 1);
    const { rows } = await server.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_messages WHERE sender_id = $1', ['r1']);
    assert.equal(rows[0]!.n, 1);
    await eventually(() => assert.equal(seen.length, 1));
    await never(b, 'message:new', 200);
    // Another sender may use the same tempId.
    assert.notEqual((await send(b, room.id, 'mine', 'retry-1')).id, answers[0]!.id);
  });

  test('history: keyset pages newest first, stable while messages arrive; limit at most 100; the same over HTTP', async () => {
    const room = await makeRoom(server, ['k1', 'k2']);
    const [a, b] = [await server.client('k1', 'user'), await server.client('k2', 'user')];
    const sent: string[] = [];
    for (let i = 0; i < 75; i++) sent.push((await send(a, room.id, `m${i}`)).id);
    const page = async (before?: string, limit = 30) => {
      const r = await request<HistoryPage>(b, 'room:history', { roomId: room.id, limit, ...(before ? { before } : {}) });
      assert.ok(r.success, JSON.stringify(r));
      return r.data;
    };
    const first = await page();
    assert.deepEqual(first.messages.map((m) => m.content), Array.from({ length: 30 }, (_, i) => `m${74 - i}`));
    // New messages while paging do not shift the next page.
    const during = Promise.all([0, 1, 2, 3, 4].map((i) => send(b, room.id, `new${i}`)));
    const second = await page(first.nextCursor!);
    await during;
    const third = await page(second.nextCursor!);
    assert.equal(third.nextCursor, null);
    const walked = [...first.messages, ...second.messages, ...third.messages].map((m) => m.id);
    assert.deepEqual(walked, [...sent].reverse());
    const tooMany = await request(b, 'room:history', { roomId: room.id, limit: 101 });
    assert.equal(tooMany.success ? 'ok' : tooMany.error.code, 'VALIDATION_ERROR');
    const http = await server.api(`/api/chat/rooms/${room.id}/messages?limit=30&before=${first.nextCursor}`);
    assert.equal(http.status, 200);
    assert.deepEqual(http.body.messages.map((m: ChatMessagePayload) => m.id), second.messages.map((m) => m.id));
    // room:joined carries the last 50, oldest first.
    const joinedEv = next(a, 'room:joined');
    await joined(a, room.id);
    const last = (await joinedEv).messages.map((m) => m.content);
    assert.equal(last.length, 50);
    assert.deepEqual([...last.slice(-5)].sort(), ['new0', 'new1', 'new2', 'new3', 'new4']);
    assert.equal(last[0], 'm30');
  });

  test('read receipts: stored once per reader, the sender is told in both styles, readBy counts them', async () => {
    const room = await makeRoom(server, ['w1', 'w2', 'w3']);
    const [a, b, c] = [await server.client('w1', 'user'), await server.client('w2', 'user'), await server.client('w3', 'user')];
    const m = await send(a, room.id, 'read me');
    const told = next(a, 'message:read');
    const toldSeed2 = next(a, 'message.read');
    const r = await request<{ messageId: string; userId: string; readAt: string }>(b, 'message:read', { messageId: m.id });
    assert.ok(r.success);
    assert.deepEqual(await told, r.data);
    assert.deepEqual(await toldSeed2, { messageId: m.id, readAt: r.data.readAt });
    const again = never(a, 'message:read');
    const second = await request<{ readAt: string }>(b, 'message:read', { messageId: m.id });
    assert.ok(second.success);
    assert.equal(second.data.readAt, r.data.readAt, 'the first read time stays');
    await again;
    const seed2 = await request(c, 'message.read', { messageId: m.id });
    assert.ok(seed2.success);
    assert.ok((await request(a, 'message:read', { messageId: m.id })).success, 'reading one\'s own message is harmless');
    const h = await request<HistoryPage>(a, 'room:history', { roomId: room.id });
    assert.ok(h.success);
    assert.equal(h.data.messages[0]!.readBy, 2);
  });

  test('a removed member leaves the room at once: no more messages, cannot send; the room is told', async () => {
    const room = await makeRoom(server, ['x1', 'x2']);
    const [a, b] = [await server.client('x1', 'user'), await server.client('x2', 'user')];
    await joined(a, room.id);
    await joined(b, room.id);
    const told = next(a, 'user:left:room');
    const res = await server.api(`/api/chat/rooms/${room.id}/members/x2`, { method: 'DELETE' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.room.members.map((m: { id: string }) => m.id), ['x1']);
    assert.deepEqual(await told, { roomId: room.id, userId: 'x2' });
    await eventually(async () => assert.equal((await server.app.io.in(`chat:${room.id}`).fetchSockets()).length, 1));
    const quiet = never(b, 'message:new');
    await send(a, room.id, 'after removal');
    await quiet;
    const r = await request(b, 'message:send', { roomId: room.id, content: 'still here?' });
    assert.equal(r.success ? 'ok' : r.error.code, 'ROOM_ACCESS_DENIED');
    const add = await server.api(`/api/chat/rooms/${room.id}/members`, { body: { userIds: ['x2', 'x3'] } });
    assert.equal(add.status, 200);
    assert.equal(add.body.room.members.length, 3);
  });

  test('offline members get the message as a notification (inbox, and push when configured); online members do not', async () => {
    const room = await makeRoom(server, ['o1', 'o2-offline', 'o3']);
    const a = await server.client('o1', 'user');
    await server.client('o3', 'user');
    const m = await send(a, room.id, 'you were away <b>!</b>');
    const inbox = async (userId: string) => (await server.app.db.query<{ message: string; data: { messageId: string; roomId: string } }>(
      'SELECT n.message, n.data FROM notification_recipients r JOIN notifications n ON n.id = r.notification_id WHERE r.user_id = $1', [userId])).rows;
    await eventually(async () => {
      const rows = await inbox('o2-offline');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.message, 'you were away !');
      assert.equal(rows[0]!.data.messageId, m.id);
      assert.equal(rows[0]!.data.roomId, room.id);
    });
    assert.equal((await inbox('o3')).length, 0);
    assert.equal((await inbox('o1')).length, 0);
  });
});
