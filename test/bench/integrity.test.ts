import assert from 'node:assert/strict';
import { test } from 'node:test';
import { integrityProblems } from '../../bench/integrity.ts';
import type { BenchResult, BenchRow } from '../../bench/lib/result.ts';

const result = (rows: BenchRow[]): BenchResult => ({
  scenario: 'relay', title: 't', quick: true, command: 'c', headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows, ratios: {}, goals: [{ name: 'p99', target: '≤ 20 ms', value: 900, unit: 'ms', met: false }], load: { start: [], end: [] }, startedAt: '', durationS: 1,
});

test('the CI check fails results without samples and valid rows that lost deliveries, never slow or noisy ones', () => {
  assert.deepEqual(integrityProblems(result([])), ['no rows']);
  assert.deepEqual(integrityProblems(result([{ impl: 'livegate', metrics: { p99Ms: null }, valid: false }])), ['no samples in any row']);
  assert.deepEqual(integrityProblems(result([{ impl: 'livegate', variant: '1500 drivers', metrics: { p99Ms: 3, lost: 12 }, valid: true }])), ['livegate (1500 drivers) lost 12 deliveries']);
  // A missed goal, a slow p99 and a row the busy machine made INVALID are noise.
  assert.deepEqual(integrityProblems(result([
    { impl: 'livegate', metrics: { p99Ms: 2_000, lost: 0 }, valid: true },
    { impl: 'bare-socketio', metrics: { p99Ms: 90, lost: 400 }, valid: false, note: 'sender 96 ms behind' },
  ])), []);
});
