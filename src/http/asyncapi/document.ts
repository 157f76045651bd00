import { ERROR_CATALOGUE, ERROR_CODES, FAMILIES, type InboundSpec, type OutboundSpec } from '../../protocol/index.ts';
import { componentKey, type JsonSchema } from './json-schema.ts';
import { ackMessage, inboundMessage, outboundMessage, payloadSchemas, ref, type Framing } from './messages.ts';
import { ADMIN_INBOUND, TRANSPORTS } from './transports.ts';

interface FamilyEvents { title: string; inbound: Record<string, InboundSpec>; outbound: Record<string, OutboundSpec> }

const families = FAMILIES as readonly FamilyEvents[];
const INBOUND: Record<string, InboundSpec> = Object.assign({}, ...families.map((f) => f.inbound));
const OUTBOUND: Record<string, OutboundSpec> = Object.assign({}, ...families.map((f) => f.outbound));
const familyOf = (name: string, dir: 'inbound' | 'outbound') => families.find((f) => Object.hasOwn(f[dir], name))!.title;

interface ChannelPlan { key: string; server: keyof typeof TRANSPORTS; framing: Framing; inbound: string[]; outbound: string[] }

function plans(): ChannelPlan[] {
  const connectionOut = Object.keys(families[0]!.outbound);
  return [
    { key: 'socketio', server: 'socketio', framing: 'packet', inbound: Object.keys(INBOUND), outbound: Object.keys(OUTBOUND) },
    { key: 'admin', server: 'socketio', framing: 'packet', inbound: [...ADMIN_INBOUND], outbound: connectionOut },
    { key: 'websocket', server: 'websocket', framing: 'frame', inbound: Object.keys(INBOUND), outbound: Object.keys(OUTBOUND) },
    { key: 'sse', server: 'sse', framing: 'packet', inbound: [], outbound: Object.keys(OUTBOUND) },
  ];
}

/** The `/ws` control frames that are not events of the catalogue. */
const WS_CONTROL: Record<string, JsonSchema> = {
  'control.authenticate': { name: 'authenticate', title: 'authenticate frame', summary: 'First frame within 5 s when the upgrade carried no token.', payload: { type: 'object', required: ['type', 'data'], properties: { type: { const: 'authenticate' }, data: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } } } },
  'control.resume': { name: 'resume', title: 'resume frame', summary: 'Replays every stored event after `seq`, then live traffic.', payload: { type: 'object', required: ['type', 'seq'], properties: { type: { const: 'resume' }, seq: { type: 'integer', minimum: 0 } } } },
  'control.ping': { name: 'ping', title: 'ping frame', summary: 'Answered with a `pong` frame.', payload: { type: 'object', required: ['type'], properties: { type: { const: 'ping' } } } },
  'control.pong': { name: 'pong', title: 'pong frame', summary: 'The answer to a `ping` frame.', payload: { type: 'object', required: ['type', 'data'], properties: { type: { const: 'pong' }, data: { type: 'object', properties: { timestamp: { type: 'integer', description: 'epoch milliseconds' } } } } } },
};

function channelAndOperations(plan: ChannelPlan): { channel: JsonSchema; operations: Record<string, JsonSchema> } {
  const transport = TRANSPORTS[plan.server];
  const info = (transport.channels as Record<string, { address: string; title: string; description: string }>)[plan.key]!;
  const messages: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const channelRef = ref(`#/channels/${plan.key}`);
  const messageRef = (key: string) => ref(`#/channels/${plan.key}/messages/${key}`);
  for (const name of plan.inbound) {
    const spec = INBOUND[name]!;
    const key = `in.${componentKey(name)}`;
    messages[key] = inboundMessage(name, spec, plan.framing);
    messages[`ack.${componentKey(name)}`] = ackMessage(name, spec, plan.framing);
    operations[`${plan.key}.receive.${componentKey(name)}`] = {
      action: 'receive', channel: channelRef, title: name, summary: `${name} (client → server)`, tags: [{ name: familyOf(name, 'inbound') }],
      messages: [messageRef(key)],
      reply: { channel: channelRef, messages: [messageRef(`ack.${componentKey(name)}`)] },
    };
  }
  for (const name of plan.outbound) {
    const key = `out.${componentKey(name)}`;
    messages[key] = outboundMessage(name, OUTBOUND[name]!, plan.framing);
    operations[`${plan.key}.send.${componentKey(name)}`] = {
      action: 'send', channel: channelRef, title: name, summary: `${name} (server → client)`, tags: [{ name: familyOf(name, 'outbound') }], messages: [messageRef(key)],
    };
  }
  if (plan.framing === 'frame') {
    for (const [key, message] of Object.entries(WS_CONTROL)) {
      messages[key] = message;
      operations[`${plan.key}.${key === 'control.pong' ? 'send' : 'receive'}.${key}`] = {
        action: key === 'control.pong' ? 'send' : 'receive', channel: channelRef, title: String(message.name), summary: String(message.summary), tags: [{ name: 'Connection' }], messages: [messageRef(key)],
      };
    }
  }
  const channel = { address: info.address, title: info.title, description: info.description, servers: [ref(`#/servers/${plan.server}`)], messages };
  return { channel, operations };
}

const errorTable = () => ERROR_CODES.map((c) => `| \`${c}\` | ${ERROR_CATALOGUE[c].status} | ${ERROR_CATALOGUE[c].message} |`).join('\n');

/**
 * The AsyncAPI 3.0 document of every event of every family on every
 * transport, built from src/protocol. Deterministic: the same protocol
 * module gives the same document (docs/asyncapi.json is this, committed).
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
        'Every event of the Livegate gateway, by family, on every transport: Socket.IO (`/` and `/admin`), the plain WebSocket `/ws` and Server-Sent Events `/events`.',
        'Operations are from the gateway\'s side: `receive` = client → server, `send` = server → client. Inbound payloads are validated (unknown keys dropped);',
        'a failure is answered through the acknowledgement, else with the family\'s failure event or `error { message, code, event, timestamp }`.',
        'Times are ISO-8601 UTC strings (epoch milliseconds where marked); money is a decimal with two places. The HTTP API is in `/openapi.json`.',
        '',
        '| error code | HTTP status | message |',
        '|---|---|---|',
        errorTable(),
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
      },
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `sub`, `role` (passenger, driver, admin, user) and `exp`; see the handshake of each server.' } },
    },
  };
}
