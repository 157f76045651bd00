import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generate, OUTPUT } from '../../packages/client/scripts/gen-protocol.ts';

test('the SDK\'s generated protocol types match src/protocol (run npm run gen:sdk-protocol when this fails)', () => {
  assert.equal(readFileSync(OUTPUT, 'utf8'), generate());
});
