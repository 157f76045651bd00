import type { z } from 'zod';
import { schemas, type InboundSpec, type OutboundSpec } from '../../protocol/index.ts';
import { componentKey, toJsonSchema, type JsonSchema } from './json-schema.ts';

/** How one event is framed on a transport: the Socket.IO/SSE payload itself, or the `/ws` frame around it. */
export type Framing = 'packet' | 'frame';

export const ref = (path: string) => ({ $ref: path });

/** Component schema keys: `in.<event>`, `out.<event>`, `ack.<event>` (one name may be both inbound and outbound). */
export const schemaKey = {
  in: (event: string) => `in.${componentKey(event)}`,
  out: (event: string) => `out.${componentKey(event)}`,
  ack: (event: string) => `ack.${componentKey(event)}`,
};

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
  return out;
}

function framed(event: string, payload: JsonSchema, framing: Framing, withId: boolean): JsonSchema {
  if (framing === 'packet') return payload;
  return {
    type: 'object',
    required: ['type'],
    properties: {
      type: { const: event },
      data: payload,
      ...(withId ? { id: { type: ['string', 'number'], description: 'set to be answered with `{ type: "ack", id, … }`' } } : {}),
    },
  };
}

export function inboundMessage(name: string, spec: InboundSpec, framing: Framing): JsonSchema {
  const rate = spec.rate === 'none' ? 'never rate-limited' : `rate class \`${spec.rate}\``;
  const failure = spec.failure ? `\`${spec.failure.event}\`` : '`error`';
  const answers = spec.answers?.length ? ` With an acknowledgement the sender's socket gets the ack instead of ${spec.answers.map((e) => `\`${e}\``).join(' / ')}.` : '';
  return {
    name,
    title: name,
    summary: `Client → server. Who may send: ${audienceText(spec)}.`,
    description: `Who may send: ${audienceText(spec)}; ${rate}. Failure without an acknowledgement: ${failure}.${answers}`,
    payload: framed(name, ref(`#/components/schemas/${schemaKey.in(name)}`), framing, true),
  };
}

export function outboundMessage(name: string, spec: OutboundSpec, framing: Framing): JsonSchema {
  return {
    name,
    title: name,
    summary: `Server → client. To: ${spec.to.replace(/`/g, '')}.`,
    description: `To: ${spec.to}.`,
    payload: framed(name, ref(`#/components/schemas/${schemaKey.out(name)}`), framing, false),
  };
}

/** The acknowledgement of an inbound event: `{ success, data | error }` (Socket.IO) or the `/ws` ack frame. */
export function ackMessage(name: string, spec: InboundSpec, framing: Framing): JsonSchema {
  const data = spec.ack ? ref(`#/components/schemas/${schemaKey.ack(name)}`) : {};
  const frame = framing === 'frame' ? { type: { const: 'ack' }, id: { type: ['string', 'number'] } } : {};
  const required = framing === 'frame' ? ['type', 'id', 'success'] : ['success'];
  return {
    name: `${name} (ack)`,
    title: `${name} acknowledgement`,
    summary: `The answer to \`${name}\` when the sender asked for one.`,
    payload: {
      oneOf: [
        { type: 'object', required: [...required, 'data'], properties: { ...frame, success: { const: true }, data } },
        { type: 'object', required: [...required, 'error'], properties: { ...frame, success: { const: false }, error: ref('#/components/schemas/WireError') } },
      ],
    },
  };
}
