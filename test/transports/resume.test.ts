import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';
import { openSse } from './sse-client.ts';
import { wsAs } from './ws-client.ts';

describe('Recovery on the plain transports: { type: "resume" } and Last-Event-ID', () => {
  let server: TestServer;
  before(async () => (server = await startServer()));
  after(() => server.close());

  const publish = (userId: string, n: number) => server.api('/api/publish', { body: { to: { userId }, event: 'x-item', data: { n } } });

  test('/ws: durable events carry seq; a resume frame replays what was missed, in order, once', async () => {
    const token = await server.token('rs-ws', 'passenger');
    const first = await wsAs(server.url, token);
    await publish('rs-ws', 1);
    const one = await first.next('x-item');
    assert.equal(typeof one.seq, 'number');
    assert.equal(one.seq, one.data._seq);
    first.close();
    await first.closed;
    await publish('rs-ws', 2);
    await publish('rs-ws', 3);
    const again = await wsAs(server.url, token);
    // A resume frame without a position is refused like the event's schema refuses it.
    assert.equal((await again.request('resume', undefined, 5000)).error?.code, 'VALIDATION_ERROR');
    again.send({ type: 'resume', seq: one.seq, id: 'rs' });
    const replay = [await again.next('x-item'), await again.next('x-item')];
    assert.deepEqual(replay.map((f) => f.data.n), [2, 3]);
    assert.deepEqual(replay.map((f) => f.seq), [Number(one.seq) + 1, Number(one.seq) + 2]);
    const answer = await again.next('ack');
    assert.equal(answer.id, 'rs');
    assert.equal(answer.success, true, JSON.stringify(answer));
    assert.equal(answer.data.replayed, 2);
    await publish('rs-ws', 4);
    assert.equal((await again.next('x-item')).data.n, 4);
    assert.equal(again.frames.filter((f) => f.type === 'x-item').length, 3, 'no duplicate at the seam');
    again.close();
  });

  test('SSE: id: is the seq, and Last-Event-ID (or ?lastEventId=) resumes after it', async () => {
    const token = await server.token('rs-sse', 'passenger');
    const first = await openSse(server.url, `/events?token=${token}`);
    await first.next('authenticated');
    await publish('rs-sse', 1);
    const one = await first.next('x-item');
    assert.ok(one.id, 'a durable event has an id');
    assert.equal(one.id, String(JSON.parse(one.data!)._seq));
    first.close();
    await publish('rs-sse', 2);
    await publish('rs-sse', 3);
    const byHeader = await openSse(server.url, `/events?token=${token}`, { 'last-event-id': one.id });
    const missed = [await byHeader.next('x-item'), await byHeader.next('x-item')];
    assert.deepEqual(missed.map((r) => JSON.parse(r.data!).n), [2, 3]);
    assert.deepEqual(missed.map((r) => Number(r.id)), [Number(one.id) + 1, Number(one.id) + 2]);
    byHeader.close();
    const byQuery = await openSse(server.url, `/events?token=${token}&lastEventId=${missed[0]!.id}`);
    assert.equal(JSON.parse((await byQuery.next('x-item')).data!).n, 3);
    byQuery.close();
  });
});
