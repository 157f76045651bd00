import type { z } from 'zod';
import { schemas, type InboundSpec, type OutboundSpec } from '../../protocol/index.ts';
import { componentKey, toJsonSchema, type JsonSchema } from './json-schema.ts';

export const ref = (path: string) => ({ $ref: path });

/** Component keys: `in.<event>`, `out.<event>`, `ack.<event>` (one name may be both inbound and outbound); `ws.…` for `/ws` frames. */
export const messageKey = {
  in: (event: string) => `in.${componentKey(event)}`,
  out: (event: string) => `out.${componentKey(event)}`,
  ack: (event: string) => `ack.${componentKey(event)}`,
  wsIn: (event: string) => `ws.in.${componentKey(event)}`,
  wsOut: (event: string) => `ws.out.${componentKey(event)}`,
  /** One `/ws` ack frame for every event: its `data` is the event's Socket.IO ack data. */
  wsAck: 'ws.ack',
};
/** Payload schemas use the same keys as the Socket.IO messages they are the payload of. */
export const schemaKey = { in: messageKey.in, out: messageKey.out, ack: messageKey.ack };

const schemaRef = (key: string) => ref(`#/components/schemas/${key}`);
const tagRef = (family: string) => ref(`#/components/tags/${tagKey(family)}`);
/** A component key for a family title ("Ride-hailing trips" → "ride-hailing-trips"). */
export const tagKey = (family: string) => family.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

export function audienceText(spec: InboundSpec): string {
  if (spec.audience === 'anyone') return 'anyone, anonymous sockets included';
  if (spec.audience === 'authenticated') return 'any signed-in user';
  return spec.audience.join(', ');
}

function isEmpty(schema: z.ZodType): boolean {
  return schema === schemas.noPayload || schema.def.type === 'undefined';
}

/** The payload schemas of every event, once, for `components.schemas`. */
export function payloadSchemas(inbound: Record<string, InboundSpec>, outbound: Record<string, OutboundSpec>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, spec] of Object.entries(inbound)) {
    out[schemaKey.in(name)] = isEmpty(spec.schema) ? { description: 'no payload (nothing, `null` or `{}`)' } : toJsonSchema(spec.schema, 'input');
    if (spec.ack) out[schemaKey.ack(name)] = toJsonSchema(spec.ack, 'output');
  }
  for (const [name, spec] of Object.entries(outbound)) out[schemaKey.out(name)] = isEmpty(spec.schema) ? { description: 'no payload' } : toJsonSchema(spec.schema, 'output');
  return referenceRepeats(out);
}

/** A schema identical to an earlier one (trip:started and trip:completed, a snapshot and its ack) becomes a `$ref` to it. */
function referenceRepeats(all: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const first = new Map<string, string>();
  return Object.fromEntries(Object.entries(all).map(([key, schema]) => {
    const text = JSON.stringify(schema);
    if (text.length < 120) return [key, schema];
    const earlier = first.get(text);
    if (earlier) return [key, schemaRef(earlier)];
    first.set(text, key);
    return [key, schema];
  }));
}

/** The `/ws` frame around an event's payload: `{ type: <event>, data, id? }`. */
function frame(event: string, payloadKey: string, inbound: boolean): JsonSchema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { const: event }, data: schemaRef(payloadKey), ...(inbound ? { id: schemaRef('WsFrameId') } : {}) },
  };
}

/**
 * What an inbound event's messages share on every transport (name, who may
 * send, tags, ack), as a message trait: the Socket.IO message and the `/ws`
 * frame message differ only in their payload.
 */
export function inboundTrait(name: string, spec: InboundSpec, family: string): JsonSchema {
  const rate = spec.rate === 'none' ? 'never rate-limited' : `rate class \`${spec.rate}\``;
  const failure = spec.failure ? `\`${spec.failure.event}\`` : '`error`';
  const answers = spec.answers?.length ? ` With an acknowledgement the sender's socket gets the ack instead of ${spec.answers.map((e) => `\`${e}\``).join(' / ')}.` : '';
  return {
    name,
    title: name,
    summary: `Client → server. Who may send: ${audienceText(spec)}.`,
    description: `Who may send: ${audienceText(spec)}; ${rate}. Failure without an acknowledgement: ${failure}.${answers}`,
    tags: [tagRef(family)],
    // The reply of a grouped operation lists every ack; this names the one that answers this event
    // (on `/ws` the generic ack frame carries that message's `data`).
    'x-livegate-ack': `#/components/messages/${messageKey.ack(name)}`,
  };
}

export function outboundTrait(name: string, spec: OutboundSpec, family: string): JsonSchema {
  return { name, title: name, summary: `Server → client. To: ${spec.to.replace(/`/g, '')}.`, description: `To: ${spec.to}.`, tags: [tagRef(family)] };
}

/** An event's message: its trait, and the payload as a Socket.IO packet/SSE `data` (`packet`) or as a `/ws` frame. */
export function eventMessage(direction: 'in' | 'out', name: string, transport: 'packet' | 'frame'): JsonSchema {
  const payloadKey = direction === 'in' ? schemaKey.in(name) : schemaKey.out(name);
  return {
    traits: [ref(`#/components/messageTraits/${payloadKey}`)],
    payload: transport === 'packet' ? schemaRef(payloadKey) : frame(name, payloadKey, direction === 'in'),
  };
}

/** Shared schemas of the acknowledgements, for `components.schemas`. */
export const ackSchemas: Record<string, JsonSchema> = {
  AckFailure: { type: 'object', required: ['success', 'error'], properties: { success: { const: false }, error: schemaRef('WireError') } },
  WsFrameId: { type: ['string', 'number'], description: 'Set on a `/ws` frame to be answered with `{ type: "ack", id, … }`.' },
};

/** The Socket.IO acknowledgement of an inbound event: `{ success: true, data } | { success: false, error }`. */
export function ackMessage(name: string, spec: InboundSpec, family: string): JsonSchema {
  return {
    name: `${name} (ack)`,
    title: `${name} acknowledgement`,
    summary: `The answer to \`${name}\` when the sender asked for one.`,
    tags: [tagRef(family)],
    payload: {
      oneOf: [
        { type: 'object', required: ['success', 'data'], properties: { success: { const: true }, data: spec.ack ? schemaRef(schemaKey.ack(name)) : {} } },
        schemaRef('AckFailure'),
      ],
    },
  };
}

/** The one `/ws` ack frame: the same answer as the Socket.IO ack of the frame's event, with the frame's `id`. */
export const wsAckMessage: JsonSchema = {
  name: 'ack',
  title: '/ws acknowledgement frame',
  summary: 'The answer to a frame that carried an `id`.',
  description: '`data` is the acknowledgement data of the answered event: the `data` of its Socket.IO ack message (`ack.<event>`, named by the event message\'s `x-livegate-ack`).',
  payload: {
    oneOf: [
      { type: 'object', required: ['type', 'id', 'success', 'data'], properties: { type: { const: 'ack' }, id: schemaRef('WsFrameId'), success: { const: true }, data: {} } },
      { type: 'object', required: ['type', 'id', 'success', 'error'], properties: { type: { const: 'ack' }, id: schemaRef('WsFrameId'), success: { const: false }, error: schemaRef('WireError') } },
    ],
  },
};
