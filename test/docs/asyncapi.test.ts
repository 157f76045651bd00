import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Parser } from '@asyncapi/parser';
import { renderAsyncApi } from '../../scripts/gen-asyncapi.ts';
import { ERROR_CODES, INBOUND, OUTBOUND } from '../../src/protocol/index.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document walked by key
let doc: any;

before(async () => {
  server = await startServer();
  const res = await server.api('/asyncapi.json', { token: null });
  assert.equal(res.status, 200);
  doc = res.body;
});
after(() => server?.close());

test('docs/asyncapi.json is generated from the current protocol module (run `npm run docs`)', () => {
  assert.equal(readFileSync(new URL('../../docs/asyncapi.json', import.meta.url), 'utf8'), renderAsyncApi());
});

test('the served /asyncapi.json is the committed document and parses as AsyncAPI 3 without errors', async () => {
  assert.deepEqual(doc, JSON.parse(renderAsyncApi()));
  assert.equal(doc.asyncapi, '3.0.0');
  const { document, diagnostics } = await new Parser().parse(doc);
  const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.code}: ${d.message} at ${d.path.join('/')}`);
  assert.deepEqual(errors, []);
  assert.ok(document, 'parsed document');
  assert.equal(document.version(), '3.0.0');
});

test('every inbound and outbound event, in both directions, on Socket.IO and /ws; SSE receives every outbound one', () => {
  const names = (channel: string, action: 'receive' | 'send') =>
    Object.values(doc.operations as Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>)
      .filter((op) => op.action === action && op.channel.$ref === `#/channels/${channel}`)
      .map((op) => doc.channels[channel].messages[op.messages[0]!.$ref.split('/').pop()!].name as string);
  for (const channel of ['socketio', 'websocket']) {
    assert.deepEqual(new Set(names(channel, 'receive').filter((n) => !['authenticate', 'resume', 'ping'].includes(n) || n in INBOUND)), new Set(Object.keys(INBOUND)), channel);
    assert.deepEqual(new Set(names(channel, 'send').filter((n) => n in OUTBOUND)), new Set(Object.keys(OUTBOUND)), channel);
  }
  assert.deepEqual(names('sse', 'receive'), []);
  assert.deepEqual(new Set(names('sse', 'send')), new Set(Object.keys(OUTBOUND)));
  assert.deepEqual(new Set(names('admin', 'receive')), new Set(['auth:refresh', 'ping']));
  assert.deepEqual(Object.keys(doc.servers).sort(), ['socketio', 'sse', 'websocket']);
  assert.equal(doc.channels.admin.address, '/admin');
});

test('payload schemas come from the zod specs; acks are replies; the error codes are listed', () => {
  const tripRequest = doc.components.schemas['in.trip_request'];
  assert.equal(tripRequest.properties.pickupLatitude.maximum, 90);
  assert.ok(tripRequest.required.includes('pickupAddress'));
  const op = doc.operations['socketio.receive.trip_request'];
  assert.equal(op.reply.messages[0].$ref, '#/channels/socketio/messages/ack.trip_request');
  assert.ok(doc.components.schemas['ack.trip_request'].properties.tripId);
  assert.match(doc.channels.socketio.messages['out.new_trip_available'].description, /To: /);
  assert.deepEqual(doc.components.schemas.ErrorCode.enum, ERROR_CODES);
  for (const code of ERROR_CODES) assert.match(doc.info.description, new RegExp(`\\| \`${code}\` \\|`));
});
