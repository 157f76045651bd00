import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, connectError, next, request, type Client } from '../helpers/client.ts';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const inRoom = (server: TestServer, room: string, socket: Client) => server.app.io.of('/').adapter.rooms.get(room)?.has(socket.id!) ?? false;

describe('live events: join-event and leave-event (seed 004)', () => {
  let server: TestServer;
  const opened: Client[] = [];
  before(async () => { server = await startServer({ ALLOW_ANONYMOUS: 'true' }); });
  after(async () => {
    for (const s of opened) s.close();
    await server.close();
  });

  test('seed 004 style: the event id as a plain string → room-joined with the id, and the ack', async () => {
    const fan = await server.client('le-fan', 'user');
    const joined = next(fan, 'room-joined');
    assert.deepEqual(await request(fan, 'join-event', 'concert-1'), { success: true, data: { eventId: 'concert-1' } });
    assert.equal(await joined, 'concert-1');
    assert.ok(inRoom(server, 'event:concert-1', fan));
  });

  test('{ eventId } is accepted too; leave-event leaves and says whether the socket was in', async () => {
    const fan = await server.client('le-fan2', 'user');
    assert.deepEqual(await request(fan, 'join-event', { eventId: 'match-7' }), { success: true, data: { eventId: 'match-7' } });
    assert.ok(inRoom(server, 'event:match-7', fan));
    assert.deepEqual(await request(fan, 'leave-event', 'match-7'), { success: true, data: { eventId: 'match-7', left: true } });
    assert.equal(inRoom(server, 'event:match-7', fan), false);
    assert.deepEqual(await request(fan, 'leave-event', { eventId: 'match-7' }), { success: true, data: { eventId: 'match-7', left: false } });
  });

  test('without an ack (seed 004 emits and listens): room-joined still arrives', async () => {
    const fan = await server.client('le-fan3', 'user');
    const joined = next(fan, 'room-joined');
    (fan.emit as (ev: string, p: unknown) => void)('join-event', 'gig-3');
    assert.equal(await joined, 'gig-3');
  });

  test('bad ids are VALIDATION_ERROR', async () => {
    const fan = await server.client('le-fan4', 'user');
    for (const bad of ['', 'x'.repeat(129), { eventId: 5 }, 'a\u0000b', undefined]) {
      const res = await request(fan, 'join-event', bad);
      assert.equal(res.success, false, JSON.stringify(bad));
      if (!res.success) assert.equal(res.error.code, 'VALIDATION_ERROR');
    }
  });

  test('an anonymous socket (ALLOW_ANONYMOUS=true) may join and leave an event room and receives what is sent to it', async () => {
    const anon = await connect(server.url);
    opened.push(anon);
    const joined = next(anon, 'room-joined');
    assert.deepEqual(await request(anon, 'join-event', 'open-air'), { success: true, data: { eventId: 'open-air' } });
    assert.equal(await joined, 'open-air');
    const got = next(anon, 'ticket-purchased');
    server.app.io.to('event:open-air').emit('ticket-purchased', { ticketId: 't1', buyer: 'u1', eventId: 'open-air', timestamp: 1 });
    assert.equal((await got).ticketId, 't1');
    assert.deepEqual(await request(anon, 'leave-event', 'open-air'), { success: true, data: { eventId: 'open-air', left: true } });
    await eventually(() => assert.equal(inRoom(server, 'event:open-air', anon), false));
  });
});

describe('live events without ALLOW_ANONYMOUS', () => {
  test('an anonymous socket is refused at the handshake', async () => {
    const server = await startServer();
    try {
      const err = await connectError(server.url);
      assert.equal(err.data?.code, 'AUTH_FAILED');
    } finally {
      await server.close();
    }
  });
});
