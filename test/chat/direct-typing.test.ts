import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChatMessagePayload, ConversationMessagePayload, HistoryPage } from '../../src/protocol/index.ts';
import { next, request } from '../helpers/client.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { CHAT_ENV, joined, makeRoom, never } from './fixtures.ts';

describe('direct messages, seed 002 conversations and typing', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ ...CHAT_ENV, CHAT_TYPING_RATE: '4/60' });
  });
  after(() => server.close());

  test('a direct room of the same two users is returned, not duplicated, even when created concurrently', async () => {
    const made = await Promise.all([0, 1, 2, 3, 4].map((i) => server.api('/api/chat/rooms', { body: { name: 'pair', type: 'direct', members: i % 2 ? ['p-a', 'p-b'] : ['p-b', 'p-a'] } })));
    assert.equal(new Set(made.map((r) => r.body.room.id)).size, 1);
    assert.deepEqual(made.map((r) => r.status).sort(), [200, 200, 200, 200, 201]);
    const bad = await server.api('/api/chat/rooms', { body: { name: 'trio', type: 'direct', members: ['p-a', 'p-b', 'p-c'] } });
    assert.equal(bad.status, 400);
  });

  test('dm:send: dm:received and message.new to the recipient, dm:sent to the sender\'s other sockets; message.new answers land in the same conversation', async () => {
    const [ali, aliPhone, sara] = [await server.client('dm-ali', 'user'), await server.client('dm-ali', 'user'), await server.client('dm-sara', 'user')];
    const received = next(sara, 'dm:received');
    const seed2 = next(sara, 'message.new');
    const sentElsewhere = next(aliPhone, 'dm:sent');
    const r = await request<{ message: ChatMessagePayload }>(ali, 'dm:send', { recipientId: 'dm-sara', content: 'salam', tempId: 'dm-1' });
    assert.ok(r.success, JSON.stringify(r));
    const m = r.data.message;
    assert.deepEqual(await received, m);
    assert.deepEqual(await sentElsewhere, m);
    assert.deepEqual(await seed2, { messageId: m.id, senderId: 'dm-ali', content: 'salam', timestamp: m.createdAt, conversationId: m.roomId });
    // Seed 002 reply: the ack carries what the recipient gets.
    const back = next(ali, 'message.new');
    const backDm = next(ali, 'dm:received');
    const reply = await request<ConversationMessagePayload>(sara, 'message.new', { recipientId: 'dm-ali', content: 'ahlan', type: 'text' });
    assert.ok(reply.success);
    assert.equal(reply.data.conversationId, m.roomId);
    assert.deepEqual(await back, reply.data);
    assert.equal((await backDm).id, reply.data.messageId);
    const h = await request<HistoryPage>(sara, 'room:history', { roomId: m.roomId });
    assert.ok(h.success);
    assert.deepEqual(h.data.messages.map((x) => x.content), ['ahlan', 'salam']);
    const self = await request(ali, 'dm:send', { recipientId: 'dm-ali', content: 'me' });
    assert.equal(self.success ? 'ok' : self.error.code, 'VALIDATION_ERROR');
  });

  test('typing: the others get user:typing once, user:stopped-typing on stop; the typist\'s own sockets get neither', async () => {
    const room = await makeRoom(server, ['t-a', 't-b']);
    const [a, aOther, b] = [await server.client('t-a', 'user'), await server.client('t-a', 'user'), await server.client('t-b', 'user')];
    for (const c of [a, aOther, b]) await joined(c, room.id);
    const typing = next(b, 'user:typing');
    const ownSilent = never(aOther, 'user:typing');
    assert.ok((await request(a, 'typing:start', { roomId: room.id })).success);
    assert.deepEqual(await typing, { roomId: room.id, userId: 't-a', userName: 't-a' });
    const noRepeat = never(b, 'user:typing');
    assert.ok((await request(a, 'typing:start', { roomId: room.id })).success, 'a repeat only re-arms the timer');
    await noRepeat;
    await ownSilent;
    const stopped = next(b, 'user:stopped-typing');
    assert.ok((await request(a, 'typing:stop', { roomId: room.id })).success);
    assert.deepEqual(await stopped, { roomId: room.id, userId: 't-a' });
  });

  test('an unstopped typing stops by itself after 3 s, and on disconnect', async () => {
    const room = await makeRoom(server, ['u-a', 'u-b', 'u-c']);
    const [a, b, c] = [await server.client('u-a', 'user'), await server.client('u-b', 'user'), await server.client('u-c', 'user')];
    for (const s of [a, b, c]) await joined(s, room.id);
    const started = Date.now();
    const auto = next(b, 'user:stopped-typing', 5000);
    assert.ok((await request(a, 'typing:start', { roomId: room.id })).success);
    assert.deepEqual(await auto, { roomId: room.id, userId: 'u-a' });
    assert.ok(Date.now() - started >= 2900, 'not before 3 s');
    const onDisconnect = next(b, 'user:stopped-typing');
    assert.ok((await request(c, 'typing:start', { roomId: room.id })).success);
    c.close();
    assert.deepEqual(await onDisconnect, { roomId: room.id, userId: 'u-c' });
  });

  test('seed 002 message.typing reaches the other party of the conversation; typing is rate limited per user', async () => {
    const [x, y] = [await server.client('mt-x', 'user'), await server.client('mt-y', 'user')];
    const r = await request<{ message: ChatMessagePayload }>(x, 'dm:send', { recipientId: 'mt-y', content: 'hi' });
    assert.ok(r.success);
    const conversationId = r.data.message.roomId;
    const typing = next(y, 'message.typing');
    assert.ok((await request(x, 'message.typing', { conversationId })).success);
    assert.deepEqual(await typing, { userId: 'mt-x', conversationId });
    // CHAT_TYPING_RATE is 4/60 here: the fifth typing event within a minute is refused.
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const t = await request(x, 'typing:start', { roomId: conversationId });
      codes.push(t.success ? 'ok' : t.error.code);
    }
    assert.deepEqual(codes, ['ok', 'ok', 'ok', 'RATE_LIMIT_EXCEEDED']);
  });
});
