import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.ts';
import type { HistoryPage } from '../../src/protocol/index.ts';
import { openDatabase } from '../../src/storage/index.ts';
import { request } from '../helpers/client.ts';
import { startServer } from '../helpers/server.ts';
import { PAY_ENV } from '../payments/fixtures.ts';
import { createProfiles, placeDriver, SEED_REQUEST } from '../trips/fixtures.ts';
import { CHAT_ENV, joined, makeRoom, send } from './fixtures.ts';

const key = () => randomBytes(32).toString('base64');

describe('trip chat rooms and encryption at rest', () => {
  test('an accepted trip gets a chat room for its passenger and driver; it takes no messages once closed after the trip ends', async () => {
    const clock = new ManualClock(Date.now());
    const server = await startServer({ ...PAY_ENV, ...CHAT_ENV, CHAT_TRIP_CLOSE_AFTER_S: '0' }, { clock });
    try {
      await createProfiles(server, [{ id: 'tc-p', role: 'passenger', name: 'Ahmed Mohamed' }, { id: 'tc-d', role: 'driver', name: 'Mohamed Ali' }]);
      const [passenger, driver, stranger] = [await server.client('tc-p', 'passenger'), await server.client('tc-d', 'driver'), await server.client('tc-x', 'passenger')];
      placeDriver(server, 'tc-d', clock, 200);
      const asked = await request<{ tripId: string }>(passenger, 'trip_request', { ...SEED_REQUEST, paymentMethod: 'cash' });
      assert.ok(asked.success, JSON.stringify(asked));
      const { tripId } = asked.data;
      assert.ok((await request(driver, 'trip_accept', { tripId })).success);
      const r = await request<{ room: { type: string; members: { id: string; name: string }[] } }>(passenger, 'room:join', { roomId: tripId });
      assert.ok(r.success, JSON.stringify(r));
      assert.equal(r.data.room.type, 'trip');
      assert.deepEqual(r.data.room.members.map((m) => m.name).sort(), ['Ahmed Mohamed', 'Mohamed Ali']);
      await joined(driver, tripId);
      await send(driver, tripId, 'I am outside');
      const denied = await request(stranger, 'room:join', { roomId: tripId });
      assert.equal(denied.success ? 'ok' : denied.error.code, 'ROOM_ACCESS_DENIED');
      for (const event of ['driver_arrived', 'trip_started']) assert.ok((await request(driver, event, { tripId })).success, event);
      assert.ok((await request(driver, 'trip_completed', { tripId, actualDistance: 0, actualDuration: 0 })).success);
      clock.advance(1);
      const closed = await request(passenger, 'message:send', { roomId: tripId, content: 'thanks' });
      assert.equal(closed.success ? 'ok' : closed.error.code, 'INVALID_STATE');
      const h = await request<HistoryPage>(passenger, 'room:history', { roomId: tripId });
      assert.ok(h.success, 'history stays readable');
      assert.equal(h.data.messages[0]!.content, 'I am outside');
    } finally {
      await server.close();
    }
  });

  test('CHAT_ENCRYPTION_KEY: content is stored as AES-256-GCM ciphertext with its key id and reads back; rotated keys still read old messages', async () => {
    const db = await openDatabase({ databaseUrl: undefined, poolSize: 1, dataDir: 'memory' });
    const [k1, k2] = [key(), key()];
    let roomId: string;
    const first = await startServer({ ...CHAT_ENV, CHAT_ENCRYPTION_KEY: `k1:${k1}` }, { db });
    try {
      const room = await makeRoom(first, ['e1']);
      roomId = room.id;
      const c = await first.client('e1', 'user');
      const m = await send(c, room.id, 'the door code is 4711');
      assert.equal(m.content, 'the door code is 4711');
      const { rows } = await db.query<{ content: string; key_id: string }>('SELECT content, key_id FROM chat_messages WHERE id = $1', [m.id]);
      assert.equal(rows[0]!.key_id, 'k1');
      assert.ok(!rows[0]!.content.includes('4711'), 'not plaintext');
      assert.ok(!Buffer.from(rows[0]!.content, 'base64').toString('utf8').includes('4711'));
    } finally {
      await first.close();
    }
    // A new key first, the old one kept: new messages use k2, old ones still read.
    const second = await startServer({ ...CHAT_ENV, CHAT_ENCRYPTION_KEY: `k2:${k2},k1:${k1}` }, { db });
    try {
      const c = await second.client('e1', 'user');
      await send(c, roomId, 'rotated');
      const h = await request<HistoryPage>(c, 'room:history', { roomId });
      assert.ok(h.success);
      assert.deepEqual(h.data.messages.map((m) => m.content), ['rotated', 'the door code is 4711']);
      const { rows } = await db.query<{ key_id: string }>('SELECT key_id FROM chat_messages ORDER BY seq');
      assert.deepEqual(rows.map((r) => r.key_id), ['k1', 'k2']);
    } finally {
      await second.close();
      await db.close();
    }
  });

  test('CHAT_ENCRYPTION_KEY must be keyId:base64 of 32 bytes', async () => {
    await assert.rejects(startServer({ CHAT_ENCRYPTION_KEY: 'k1:short' }), /CHAT_ENCRYPTION_KEY/);
    await assert.rejects(startServer({ CHAT_ENCRYPTION_KEY: `k1:${key()},k1:${key()}` }), /CHAT_ENCRYPTION_KEY/);
  });
});
