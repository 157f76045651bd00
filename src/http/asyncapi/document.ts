import { ERROR_CATALOGUE, ERROR_CODES, FAMILIES, type InboundSpec, type OutboundSpec } from '../../protocol/index.ts';
import type { JsonSchema } from './json-schema.ts';
import { ackMessage, ackSchemas, eventMessage, inboundTrait, messageKey, outboundTrait, payloadSchemas, ref, tagKey, wsAckMessage } from './messages.ts';
import { ADMIN_INBOUND, TRANSPORTS } from './transports.ts';

interface FamilyEvents { title: string; inbound: Record<string, InboundSpec>; outbound: Record<string, OutboundSpec> }

const families = FAMILIES as readonly FamilyEvents[];
const INBOUND: Record<string, InboundSpec> = Object.assign({}, ...families.map((f) => f.inbound));
const OUTBOUND: Record<string, OutboundSpec> = Object.assign({}, ...families.map((f) => f.outbound));
const familyOf = (name: string, dir: 'inbound' | 'outbound') => families.find((f) => Object.hasOwn(f[dir], name))!.title;

/** Which component messages a channel carries, by direction (keys of `components.messages`). */
interface ChannelPlan { key: string; server: keyof typeof TRANSPORTS; receive: string[]; replies: string[]; send: string[] }

/** The `/ws` control frames that are not events of the catalogue. */
const WS_CONTROL: Record<string, JsonSchema> = {
  'ws.control.authenticate': { name: 'authenticate', title: 'authenticate frame', summary: 'First frame within 5 s when the upgrade carried no token.', payload: { type: 'object', required: ['type', 'data'], properties: { type: { const: 'authenticate' }, data: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } } },
  'ws.control.resume': { name: 'resume', title: 'resume frame', summary: 'Replays every stored event after `seq`, then live traffic.', payload: { type: 'object', required: ['type', 'seq'], properties: { type: { const: 'resume' }, seq: { type: 'integer', minimum: 0 } } } },
  'ws.control.ping': { name: 'ping', title: 'ping frame', summary: 'Answered with a `pong` frame.', payload: { type: 'object', required: ['type'], properties: { type: { const: 'ping' } } } },
  'ws.control.pong': { name: 'pong', title: 'pong frame', summary: 'The answer to a `ping` frame.', payload: { type: 'object', required: ['type', 'data'], properties: { type: { const: 'pong' }, data: { type: 'object', properties: { timestamp: { type: 'integer', description: 'epoch milliseconds' } } } } } },
};

function plans(): ChannelPlan[] {
  const inbound = Object.keys(INBOUND);
  const outbound = Object.keys(OUTBOUND);
  const connectionOut = Object.keys(families[0]!.outbound);
  return [
    { key: 'socketio', server: 'socketio', receive: inbound.map(messageKey.in), replies: inbound.map(messageKey.ack), send: outbound.map(messageKey.out) },
    { key: 'admin', server: 'socketio', receive: ADMIN_INBOUND.map(messageKey.in), replies: ADMIN_INBOUND.map(messageKey.ack), send: connectionOut.map(messageKey.out) },
    {
      key: 'websocket', server: 'websocket',
      receive: [...inbound.map(messageKey.wsIn), 'ws.control.authenticate', 'ws.control.resume', 'ws.control.ping'],
      replies: [messageKey.wsAck],
      send: [...outbound.map(messageKey.wsOut), 'ws.control.pong'],
    },
    { key: 'sse', server: 'sse', receive: [], replies: [], send: outbound.map(messageKey.out) },
  ];
}

/** Every message once (its shared part once more, as a trait); channels and operations point here. */
function componentMessages(): { messages: Record<string, JsonSchema>; messageTraits: Record<string, JsonSchema> } {
  const messages: Record<string, JsonSchema> = {};
  const messageTraits: Record<string, JsonSchema> = {};
  for (const [name, spec] of Object.entries(INBOUND)) {
    const family = familyOf(name, 'inbound');
    messageTraits[messageKey.in(name)] = inboundTrait(name, spec, family);
    messages[messageKey.in(name)] = eventMessage('in', name, 'packet');
    messages[messageKey.ack(name)] = ackMessage(name, spec, family);
    messages[messageKey.wsIn(name)] = eventMessage('in', name, 'frame');
  }
  for (const [name, spec] of Object.entries(OUTBOUND)) {
    messageTraits[messageKey.out(name)] = outboundTrait(name, spec, familyOf(name, 'outbound'));
    messages[messageKey.out(name)] = eventMessage('out', name, 'packet');
    messages[messageKey.wsOut(name)] = eventMessage('out', name, 'frame');
  }
  messages[messageKey.wsAck] = wsAckMessage;
  return { messages: { ...messages, ...WS_CONTROL }, messageTraits };
}

/**
 * One operation per channel and direction, listing its messages. An
 * operation per event would be finer, but each one makes a validator
 * (@asyncapi/parser) walk the whole resolved channel again: with about 340
 * of them validation took over 40 s of CPU. The family of each event is its
 * message's tag, the ack of each inbound event its `x-livegate-ack`.
 */
function channelAndOperations(plan: ChannelPlan): { channel: JsonSchema; operations: Record<string, JsonSchema> } {
  const transport = TRANSPORTS[plan.server];
  const info = (transport.channels as Record<string, { address: string; title: string; description: string }>)[plan.key]!;
  const channelRef = ref(`#/channels/${plan.key}`);
  const messageRefs = (keys: string[]) => keys.map((key) => ref(`#/channels/${plan.key}/messages/${key}`));
  const keys = [...new Set([...plan.receive, ...plan.replies, ...plan.send])];
  const messages = Object.fromEntries(keys.map((key) => [key, ref(`#/components/messages/${key}`)]));
  const operations: Record<string, JsonSchema> = {};
  if (plan.receive.length) {
    operations[`${plan.key}.receive`] = {
      action: 'receive', channel: channelRef, title: `${info.title}: client → server`, summary: 'Every event a client may send here, each answered by its acknowledgement when the client asks for one.',
      messages: messageRefs(plan.receive),
      reply: { channel: channelRef, messages: messageRefs(plan.replies) },
    };
  }
  operations[`${plan.key}.send`] = { action: 'send', channel: channelRef, title: `${info.title}: server → client`, summary: 'Every event the gateway may send here.', messages: messageRefs(plan.send) };
  const channel = { address: info.address, title: info.title, description: info.description, servers: [ref(`#/servers/${plan.server}`)], messages };
  return { channel, operations };
}

/**
 * The AsyncAPI 3.0 document of every event of every family on every
 * transport, built from src/protocol. Each message and payload schema is
 * defined once in `components` and referenced from every channel that
 * carries it. Deterministic: the same protocol module gives the same
 * document (docs/asyncapi.json is this, committed).
 */
export function buildAsyncApiDocument(): JsonSchema {
  const channels: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  for (const plan of plans()) {
    const built = channelAndOperations(plan);
    channels[plan.key] = built.channel;
    Object.assign(operations, built.operations);
  }
  const servers = Object.fromEntries(Object.entries(TRANSPORTS).map(([key, t]) => [key, { ...t.server, security: [ref('#/components/securitySchemes/jwt')] }]));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Livegate events',
      version: '0.1.0',
      description: [
        'Every event of the Livegate gateway, by family (message tags), on every transport: Socket.IO (`/` and `/admin`), the plain WebSocket `/ws` and Server-Sent Events `/events`.',
        'Operations are from the gateway\'s side: `receive` = client → server, `send` = server → client. Inbound payloads are validated (unknown keys dropped);',
        'a failure is answered through the acknowledgement (the inbound message\'s `x-livegate-ack`), else with the family\'s failure event or `error { message, code, event, timestamp }`.',
        'Times are ISO-8601 UTC strings (epoch milliseconds where marked); money is a decimal with two places. The HTTP API is in `/openapi.json`.',
        'Error codes, their HTTP status, message and how to solve them: `components.schemas.ErrorCode` (`x-livegate-errors`).',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers,
    channels,
    operations,
    components: {
      schemas: {
        ...payloadSchemas(INBOUND, OUTBOUND),
        ErrorCode: { type: 'string', enum: [...ERROR_CODES], description: 'Stable error codes: added, never recycled.', 'x-livegate-errors': ERROR_CATALOGUE },
        WireError: { type: 'object', required: ['code', 'message'], properties: { code: ref('#/components/schemas/ErrorCode'), message: { type: 'string' }, details: { type: 'object' } } },
        ...ackSchemas,
      },
      ...componentMessages(),
      tags: Object.fromEntries(families.map((f) => [tagKey(f.title), { name: f.title }])),
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `sub`, `role` (passenger, driver, admin, user) and `exp`; see the handshake of each server.' } },
    },
  };
}
