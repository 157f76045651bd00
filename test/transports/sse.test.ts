import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../helpers/eventually.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { openSse, type SseClient } from './sse-client.ts';

describe('GET /events: Server-Sent Events', () => {
  let server: TestServer;
  before(async () => (server = await startServer({ CORS_ORIGINS: 'https://app.example', SSE_KEEPALIVE_MS: '200' })));
  after(() => server.close());

  const publish = (userId: string, event: string, data: unknown) => server.api('/api/publish', { body: { to: { userId }, event, data } });

  test('Authorization: Bearer opens a text/event-stream: retry first, then authenticated', async () => {
    const s = await openSse(server.url, '/events', { authorization: `Bearer ${await server.token('sse-h', 'passenger')}` });
    assert.equal(s.status, 200);
    assert.match(String(s.headers['content-type']), /^text\/event-stream/);
    await eventually(() => assert.equal(s.records[0]?.retry, '3000'));
    const auth = await s.next('authenticated');
    assert.equal(JSON.parse(auth.data!).userId, 'sse-h');
    s.close();
  });

  test('?token= opens the stream, and POST /api/publish reaches it as event: and data:', async () => {
    const s = await openSse(server.url, `/events?token=${await server.token('sse-q', 'passenger')}`);
    await s.next('authenticated');
    assert.equal((await publish('sse-q', 'x-promo', { code: 'SAVE10', text: 'line\nbreak' })).status, 200);
    const rec = await s.next('x-promo');
    const { _seq, ...data } = JSON.parse(rec.data!) as { _seq?: number };
    assert.deepEqual(data, { code: 'SAVE10', text: 'line\nbreak' });
    // A publish to a user is durable: its stream position (`_seq`) is the record's id.
    assert.equal(typeof _seq, 'number');
    assert.equal(rec.id, String(_seq));
    s.close();
  });

  test('refusals before the stream starts are JSON errors: 401 without or with a bad token, 403 for a foreign Origin or a suspended account', async () => {
    const none = await openSse(server.url, '/events');
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(await none.body()).error.code, 'AUTH_FAILED');
    const bad = await openSse(server.url, '/events?token=nope');
    assert.equal(bad.status, 401);
    assert.equal(JSON.parse(await bad.body()).error.code, 'AUTH_FAILED');
    const token = await server.token('sse-o', 'passenger');
    const evil = await openSse(server.url, `/events?token=${token}`, { origin: 'https://evil.example' });
    assert.equal(evil.status, 403);
    assert.equal(JSON.parse(await evil.body()).error.code, 'FORBIDDEN');
    await server.api('/api/users', { body: { id: 'sse-susp', role: 'passenger', name: 'S', status: 'suspended' } });
    const suspended = await openSse(server.url, `/events?token=${await server.token('sse-susp', 'passenger')}`);
    assert.equal(suspended.status, 403);
    assert.equal(JSON.parse(await suspended.body()).error.code, 'FORBIDDEN');
    const good = await openSse(server.url, `/events?token=${token}`, { origin: 'https://app.example' });
    assert.equal(good.status, 200);
    assert.equal(good.headers['access-control-allow-origin'], 'https://app.example');
    good.close();
  });

  test('GET /events is in the OpenAPI document', async () => {
    const { body } = await server.api('/openapi.json', { token: null });
    assert.ok(body.paths['/events']?.get, 'listed with its query parameters');
  });

  test('a keep-alive comment every SSE_KEEPALIVE_MS', async () => {
    const s = await openSse(server.url, `/events?token=${await server.token('sse-k', 'passenger')}`);
    await s.next('authenticated');
    assert.equal((await s.next('comment')).comment, 'keep-alive');
    assert.equal((await s.next('comment')).comment, 'keep-alive');
    s.close();
  });

  test('positions and typing are left out unless ?include=positions asks for the trip\'s positions', async () => {
    const plain = await openSse(server.url, `/events?token=${await server.token('sse-p1', 'passenger')}`);
    const asked = await openSse(server.url, `/events?include=positions&token=${await server.token('sse-p2', 'passenger')}`);
    await plain.next('authenticated');
    await asked.next('authenticated');
    const position = { driverId: 'd-1', tripId: 't-1', location: { latitude: 15.5, longitude: 32.5 }, timestamp: new Date().toISOString() };
    // Straight to their rooms, as the location and chat deliveries send them.
    const rooms = server.app.io.to(['user:sse-p1', 'user:sse-p2']) as unknown as { emit(event: string, payload: unknown): boolean };
    rooms.emit('driver_location_update', position);
    rooms.emit('message.typing', { userId: 'u', conversationId: 'c' });
    for (const user of ['sse-p1', 'sse-p2']) await publish(user, 'x-marker', { n: 1 });
    await plain.next('x-marker');
    await asked.next('x-marker');
    assert.equal(plain.records.some((r) => r.event === 'driver_location_update' || r.event === 'message.typing'), false);
    assert.deepEqual(JSON.parse((await asked.next('driver_location_update', 100)).data!), position);
    assert.equal(asked.records.some((r) => r.event === 'message.typing'), false);
    plain.close();
    asked.close();
  });

  test('the stream is a connection like any other: GET /api/connections says sse, and it ends when the client goes', async () => {
    const s: SseClient = await openSse(server.url, `/events?token=${await server.token('sse-c', 'admin')}`);
    await s.next('authenticated');
    await eventually(async () => {
      const { body } = await server.api('/api/connections?userId=sse-c');
      assert.equal(body.connections[0]?.transport, 'sse');
    });
    s.close();
    await eventually(() => assert.equal(server.app.io.of('/').adapter.rooms.has('user:sse-c'), false));
  });
});
