import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { renderProtocolDoc } from '../../scripts/gen-protocol-docs.ts';
import { ERROR_CATALOGUE, INBOUND } from '../../src/protocol/index.ts';

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
