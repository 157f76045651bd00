/**
 * Writes docs/protocol.md from src/protocol: for every family, each inbound
 * event with who may send it, its rate class, payload, ack data and failure
 * event, and each outbound event with its recipients and payload; then the
 * rooms and the error-code catalogue. Deterministic: the same protocol
 * module always gives the same file.
 *   npm run docs          (a test fails when the committed file is stale)
 */
import { writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { ERROR_CATALOGUE, ERROR_CODES, FAMILIES, OUTBOUND, schemas, type InboundSpec, type OutboundSpec } from '../src/protocol/index.ts';
import { renderSchema, type RenderOptions } from './schema-markdown.ts';

const namedEnums = [{ values: ERROR_CODES, name: 'an error code (see [Error codes](#error-codes))' }];
const INPUT: RenderOptions = { io: 'input', namedEnums };
const OUTPUT: RenderOptions = { io: 'output', namedEnums };

/** Where the payload is a schema shared with an outbound event, name that event instead of repeating it. */
function outboundNamed(schema: z.ZodType): string | undefined {
  return Object.entries(OUTBOUND as Record<string, OutboundSpec>).find(([, spec]) => spec.schema === schema)?.[0];
}

function audience(spec: InboundSpec): string {
  if (spec.audience === 'anyone') return 'anyone, anonymous sockets included';
  if (spec.audience === 'authenticated') return 'any signed-in user';
  if (spec.audience.length === 1 && spec.audience[0] === 'anonymous') return 'anonymous sockets only';
  return spec.audience.join(', ');
}

function payload(schema: z.ZodType, opts: RenderOptions): string[] {
  if (schema === schemas.noPayload) return ['- **Payload:** none (nothing, `null` or `{}`)'];
  if (schema.def.type === 'undefined') return ['- **Payload:** none'];
  return ['- **Payload:**', ...renderSchema(schema, opts).map((l) => '  ' + l)];
}

function ack(spec: InboundSpec): string[] {
  const answers = spec.answers?.map((e) => `\`${e}\``);
  const instead = answers ? ` With a callback, the sender's socket gets the ack instead of ${answers.join(' / ')}; the user's other sockets still get the event.` : '';
  if (!spec.ack) return answers ? [`- **Ack \`data\`:** the payload of ${answers.join(', ')}, whichever is the outcome.${instead}`] : [];
  const same = outboundNamed(spec.ack);
  if (same) return [`- **Ack \`data\`:** the \`${same}\` payload (below).${instead}`];
  return ['- **Ack `data`:**', ...renderSchema(spec.ack, OUTPUT).map((l) => '  ' + l)];
}

function inboundSection(name: string, spec: InboundSpec): string[] {
  const rate = spec.rate === 'none' ? 'none (never rate-limited)' : `\`${spec.rate}\``;
  const failure = spec.failure ? `\`${spec.failure.event}\`` : '`error`';
  return [
    `#### \`${name}\``,
    '',
    `- **Who may send:** ${audience(spec)}`,
    `- **Rate class:** ${rate}`,
    ...payload(spec.schema, INPUT),
    ...ack(spec),
    `- **Failure without an ack:** ${failure}`,
    '',
  ];
}

function outboundSection(name: string, spec: OutboundSpec): string[] {
  const first = outboundNamed(spec.schema);
  const body = first && first !== name ? [`- **Payload:** the same as \`${first}\``] : payload(spec.schema, OUTPUT);
  return [`#### \`${name}\``, '', `- **To:** ${spec.to}`, ...body, ''];
}

const anchor = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

function familySection(family: (typeof FAMILIES)[number]): string[] {
  const inbound = Object.entries(family.inbound as Record<string, InboundSpec>);
  const outbound = Object.entries(family.outbound as Record<string, OutboundSpec>);
  return [
    `## ${family.title}`,
    '',
    `Client → server: ${inbound.map(([n]) => `\`${n}\``).join(', ')}.  `,
    `Server → client: ${outbound.map(([n]) => `\`${n}\``).join(', ')}.`,
    '',
    `### ${family.title}: client → server`,
    '',
    ...inbound.flatMap(([name, spec]) => inboundSection(name, spec)),
    `### ${family.title}: server → client`,
    '',
    ...outbound.flatMap(([name, spec]) => outboundSection(name, spec)),
  ];
}

/** Rooms clients end up in; names are internal, a client names one only in `leave_room`. */
const ROOMS: readonly [room: string, members: string, how: string][] = [
  ['user:{userId}', 'every socket of that user', 'automatic'],
  ['drivers', 'every driver socket', 'automatic'],
  ['admins', 'every admin socket', 'automatic'],
  ['trip:{tripId}', 'the trip\'s passenger and driver, admins', '`join_trip`, `subscribe:trip`'],
  ['driver_location:{driverId}', 'the passenger of that driver\'s active trip, admins', '`join_driver_location`'],
  ['vehicle:{vehicleId}', 'admins, the vehicle\'s current driver', '`subscribe:vehicle`'],
  ['fleet', 'admins', '`subscribe:tracking`'],
];

export function renderProtocolDoc(): string {
  const errors = Object.entries(ERROR_CATALOGUE).map(([c, e]) => `| \`${c}\` | ${e.status} | ${e.message} | ${e.howToSolve} |`);
  const rooms = ROOMS.map(([room, members, how]) => `| \`${room}\` | ${members} | ${how} |`);
  const lines = [
    '<!-- Generated by `npm run docs` from src/protocol. Do not edit by hand. -->',
    '# Protocol reference (generated)',
    '',
    'Every Socket.IO event of the gateway, by family: what a client may send and',
    'what the server sends back. Inbound payloads are validated against their',
    'schema (unknown keys dropped), checked against who may send them and their',
    'rate-limit class, and answered through the acknowledgement callback when the',
    'client passes one: `{ success: true, data }` or',
    '`{ success: false, error: { code, message, details? } }`. Without a callback a',
    'failure is reported with the failure event shown (`error { message, code, event, timestamp }`',
    'unless the family has its own).',
    '',
    'Types: times are ISO-8601 UTC strings unless marked epoch milliseconds; money is',
    'a decimal with two places; `optional` fields may be left out; `| null` fields',
    'are always present and may be null.',
    '',
    ...FAMILIES.map((f) => `- [${f.title}](#${anchor(f.title)})`),
    '- [Rooms](#rooms)',
    '- [Error codes](#error-codes)',
    '',
    ...FAMILIES.flatMap(familySection),
    '## Rooms',
    '',
    'Every join is authorised on the server; nothing in a payload routes data.',
    '',
    '| room | who is in it | how |',
    '|---|---|---|',
    ...rooms,
    '',
    '## Error codes',
    '',
    'Stable: codes are added, never recycled. `status` is the HTTP status of the same code.',
    '',
    '| code | status | message | how to solve |',
    '|---|---|---|---|',
    ...errors,
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('gen-protocol-docs.ts')) {
  writeFileSync(new URL('../docs/protocol.md', import.meta.url), renderProtocolDoc());
  console.log('wrote docs/protocol.md');
}
