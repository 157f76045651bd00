import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Encoder } from 'socket.io-parser';
import { readPacket, sseEventFrame, wsEventFrame } from '../../src/realtime/transports/frames.ts';
import { ackFrame, parseFrame } from '../../src/realtime/transports/ws-frames.ts';

/** What Socket.IO's own encoder writes for an emit. */
const encode = (...args: unknown[]) => new Encoder().encode({ type: 2, nsp: '/', data: args })[0] as string;

describe('Socket.IO packets read as transport frames', () => {
  test('an event: name and payload text, the payload\'s _seq as the frame\'s seq and SSE id', () => {
    const p = readPacket(encode('notification', { id: 'n1', text: 'a "quoted"\nline', _seq: 42 }));
    assert.equal(p.kind, 'event');
    if (p.kind !== 'event') return;
    assert.equal(p.name, 'notification');
    assert.deepEqual(JSON.parse(p.payload), { id: 'n1', text: 'a "quoted"\nline', _seq: 42 });
    assert.equal(p.seq, 42);
    const ws = JSON.parse(wsEventFrame(p.name, p.payload, p.seq)) as unknown;
    assert.deepEqual(ws, { type: 'notification', data: { id: 'n1', text: 'a "quoted"\nline', _seq: 42 }, seq: 42 });
    assert.equal(sseEventFrame(p.name, p.payload, p.seq), `id: 42\nevent: notification\ndata: ${p.payload}\n\n`);
  });

  test('a nested _seq, or one inside a string, is not the event\'s position', () => {
    const p = readPacket(encode('x-a', { data: { _seq: 5 }, text: '"_seq":7' }));
    assert.equal(p.kind === 'event' && p.seq, undefined);
  });

  test('an array payload with a second argument { _seq } (notifications:batch)', () => {
    const p = readPacket(encode('notifications:batch', [{ id: 1 }, { id: 2 }], { _seq: 9 }));
    assert.ok(p.kind === 'event');
    assert.deepEqual(JSON.parse(p.payload), [{ id: 1 }, { id: 2 }]);
    assert.equal(p.seq, 9);
  });

  test('no payload, connect, refusal and disconnect packets', () => {
    assert.deepEqual(readPacket(encode('pong')), { kind: 'event', name: 'pong', payload: 'null', seq: undefined });
    assert.deepEqual(readPacket('0{"sid":"abc"}'), { kind: 'connected', sid: 'abc' });
    assert.deepEqual(readPacket('4{"message":"x","data":{"code":"RATE_LIMIT_EXCEEDED","message":"slow","retryAfterMs":500}}'), { kind: 'refused', code: 'RATE_LIMIT_EXCEEDED', message: 'slow', retryAfterMs: 500 });
    assert.equal(readPacket('1').kind, 'disconnected');
  });

  test('frames in: malformed ones say why; acks splice the router\'s answer', () => {
    assert.equal(parseFrame('{').ok, false);
    assert.equal(parseFrame('"x"').ok, false);
    assert.deepEqual(parseFrame('{"data":1,"id":3}'), { ok: false, message: 'type must be an event name', id: 3 });
    assert.equal(parseFrame('{"type":"a","id":{}}').ok, false);
    assert.deepEqual(parseFrame('{"type":"a","data":{"b":1},"id":"q"}'), { ok: true, frame: { type: 'a', data: { b: 1 }, id: 'q', seq: undefined } });
    assert.deepEqual(JSON.parse(ackFrame('q', { success: true, data: { n: 1 } })), { type: 'ack', id: 'q', success: true, data: { n: 1 } });
  });
});
