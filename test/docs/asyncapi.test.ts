import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Parser } from '@asyncapi/parser';
import { renderAsyncApi } from '../../scripts/gen-asyncapi.ts';
import { ERROR_CATALOGUE, ERROR_CODES, INBOUND, OUTBOUND } from '../../src/protocol/index.ts';
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

/** A local `$ref` followed to its target. */
const at = (pointer: string) => pointer.slice(2).split('/').reduce((o, k) => o?.[k], doc);
/** A channel's message with its traits applied, as AsyncAPI tools read it. */
const message = (channelRef: string) => {
  const component = at(at(channelRef).$ref);
  return Object.assign({}, ...(component.traits ?? []).map((t: { $ref: string }) => at(t.$ref)), component);
};

test('every inbound and outbound event, in both directions, on Socket.IO and /ws; SSE receives every outbound one', () => {
  const names = (channel: string, action: 'receive' | 'send') =>
    Object.values(doc.operations as Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>)
      .filter((op) => op.action === action && op.channel.$ref === `#/channels/${channel}`)
      .flatMap((op) => op.messages.map((m) => message(m.$ref).name as string));
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

test('every message and payload schema is defined once in components and referenced from the channels', () => {
  for (const [key, channel] of Object.entries(doc.channels as Record<string, { messages: Record<string, { $ref?: string }> }>)) {
    for (const [name, m] of Object.entries(channel.messages)) assert.equal(m.$ref, `#/components/messages/${name}`, `${key}/${name}`);
  }
  // The same event on `/` and SSE is the same message; on /ws its frame shares the trait and the payload schema.
  assert.equal(doc.channels.socketio.messages['out.trip_accepted'].$ref, doc.channels.sse.messages['out.trip_accepted'].$ref);
  const frame = doc.components.messages['ws.out.trip_accepted'];
  assert.deepEqual(frame.traits, doc.components.messages['out.trip_accepted'].traits);
  assert.equal(frame.payload.properties.data.$ref, '#/components/schemas/out.trip_accepted');
  assert.deepEqual(doc.operations['websocket.receive'].reply.messages, [{ $ref: '#/channels/websocket/messages/ws.ack' }]);
});

test('payload schemas come from the zod specs; acks are replies; the error codes are listed once', () => {
  const tripRequest = doc.components.schemas['in.trip_request'];
  assert.equal(tripRequest.properties.pickupLatitude.maximum, 90);
  assert.ok(tripRequest.required.includes('pickupAddress'));
  assert.ok(doc.operations['socketio.receive'].reply.messages.some((m: { $ref: string }) => m.$ref === '#/channels/socketio/messages/ack.trip_request'));
  const request = message('#/channels/socketio/messages/in.trip_request');
  assert.equal(request['x-livegate-ack'], '#/components/messages/ack.trip_request');
  assert.equal(request.tags[0].$ref, '#/components/tags/ride-hailing-trips');
  assert.equal(at(request['x-livegate-ack']).payload.oneOf[0].properties.data.$ref, '#/components/schemas/ack.trip_request');
  assert.ok(doc.components.schemas['ack.trip_request'].properties.tripId);
  assert.match(message('#/channels/socketio/messages/out.new_trip_available').description, /To: /);
  assert.deepEqual(doc.components.schemas.ErrorCode.enum, ERROR_CODES);
  const catalogue = doc.components.schemas.ErrorCode['x-livegate-errors'];
  assert.deepEqual(Object.keys(catalogue), [...ERROR_CODES]);
  for (const code of ERROR_CODES) assert.equal(typeof catalogue[code].status, 'number', code);
  const text = JSON.stringify(doc);
  for (const code of ERROR_CODES) assert.equal(text.split(JSON.stringify({ [code]: ERROR_CATALOGUE[code] }).slice(1, -1)).length, 2, `${code}'s entry appears once`);
});
