import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { renderProtocolDoc } from '../../scripts/gen-protocol-docs.ts';
import { ERROR_CATALOGUE, FAMILIES, INBOUND, OUTBOUND } from '../../src/protocol/index.ts';

test('docs/protocol.md is generated from the current protocol module (run `npm run docs`)', () => {
  assert.equal(readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8'), renderProtocolDoc());
});

test('the error catalogue keeps every code PROTOCOL.md names', () => {
  const required = ['AUTH_FAILED', 'TOKEN_EXPIRED', 'VALIDATION_ERROR', 'FORBIDDEN', 'ROOM_ACCESS_DENIED', 'NOT_FOUND', 'RATE_LIMIT_EXCEEDED', 'PAYLOAD_TOO_LARGE', 'INVALID_STATE', 'TRIP_ALREADY_ACCEPTED', 'OFFER_EXPIRED', 'ACTIVE_TRIP_EXISTS', 'INSUFFICIENT_FUNDS', 'PAYMENT_METHOD_UNAVAILABLE', 'ALREADY_PAID', 'EMPTY_MESSAGE', 'MESSAGE_TOO_LONG', 'INVALID_STATUS', 'INTERNAL_ERROR'];
  for (const code of required) assert.ok(code in ERROR_CATALOGUE, code);
});

test('every inbound string field is bounded', () => {
  // Walk each schema's JSON Schema: a string without maxLength is unbounded input.
  const unbounded: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'string' && n.maxLength === undefined && n.enum === undefined && n.const === undefined && n.format === undefined) unbounded.push(path);
    for (const [k, v] of Object.entries(n)) walk(v, `${path}.${k}`);
  };
  for (const [name, spec] of Object.entries(INBOUND)) walk(z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' }), name);
  assert.deepEqual(unbounded, []);
});

test('the reference covers every event of every family, in both directions, with who receives each outbound event', () => {
  const doc = renderProtocolDoc();
  const inFamilies = FAMILIES.flatMap((f) => Object.keys(f.inbound)).sort();
  const outFamilies = FAMILIES.flatMap((f) => Object.keys(f.outbound)).sort();
  assert.deepEqual(inFamilies, Object.keys(INBOUND).sort());
  assert.deepEqual(outFamilies, Object.keys(OUTBOUND).sort());
  for (const family of FAMILIES) {
    const section = doc.slice(doc.indexOf(`## ${family.title}\n`));
    for (const name of Object.keys(family.outbound)) assert.match(section, new RegExp(`#### \`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`\n\n- \\*\\*To:\\*\\* \\S`), name);
  }
});

test('the reference shows readable types, never inlined regular expressions or JSON Schema', () => {
  const doc = renderProtocolDoc();
  assert.doesNotMatch(doc, /"pattern"|\^\(|\\d\{|"anyOf"|"type":/);
  assert.match(doc, /`tripId`: string \(UUID\)/);
  assert.match(doc, /`pickupLatitude`: number \(-90…90\)/);
  assert.match(doc, /`requestTime`: string \(ISO-8601 time\)/);
  assert.match(doc, /`tripType` \(optional, default `"standard"`\): `"standard"` \| `"premium"`/);
});

test('rendering is deterministic', () => {
  assert.equal(renderProtocolDoc(), renderProtocolDoc());
});
