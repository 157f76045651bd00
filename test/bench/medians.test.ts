import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { RESULT_PREFIX, type BenchResult } from '../../bench/lib/result.ts';

const MEDIANS = fileURLToPath(new URL('../../bench/medians.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'livegate-medians-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const result = (p99: number, bare: number, valid = true): BenchResult => ({
  scenario: 'relay', title: 'Relay', quick: false, command: 'npm run bench:relay',
  headline: { metric: 'p99Ms', unit: 'ms', higherIsBetter: false },
  rows: [
    { impl: 'livegate', variant: '2000 drivers', metrics: { p99Ms: p99 }, valid },
    { impl: 'bare-socketio', variant: '2000 drivers', metrics: { p99Ms: bare }, valid: true },
  ],
  ratios: { 'livegate/bare-socketio p99': p99 / bare },
  goals: [{ name: 'relay p99', target: '≤ 20 ms', value: p99, unit: 'ms', met: p99 <= 20 }],
  load: { start: [1], end: [1] }, startedAt: '2026-12-03T20:00:00.000Z', durationS: 60,
});

test('medians of three runs: suite files and saved scenario output alike, ⚠ on invalid rows', () => {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.txt');
  const c = join(dir, 'c.txt');
  writeFileSync(a, JSON.stringify({ command: 'npm run bench', mode: 'full', startedAt: '2026-12-03T19:00:00.000Z', durationS: 1, results: [result(30, 10)], failures: [] }));
  writeFileSync(b, `progress on stdout\n${RESULT_PREFIX}${JSON.stringify(result(90, 15, false))}\n`);
  writeFileSync(c, `${RESULT_PREFIX}${JSON.stringify(result(12, 12))}\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', MEDIANS, a, b, c], { encoding: 'utf8' });
  assert.match(out, /Medians of 3 runs/);
  assert.match(out, /\| livegate\/bare-socketio p99 \| 3 \| 6 \| 1 \| \*\*3\*\* \|/);
  assert.match(out, /\| livegate \(2000 drivers\): p99Ms \| 30 \| 90 ⚠ \| 12 \| \*\*30\*\* \|/);
  assert.match(out, /\| relay p99 \(≤ 20 ms\) \| 30 \| 90 \| 12 \| \*\*30\*\* \|/);
});

test('no files: usage and exit 2', () => {
  assert.throws(() => execFileSync(process.execPath, ['--import', 'tsx', MEDIANS], { encoding: 'utf8', stdio: 'pipe' }), (err: { status?: number }) => err.status === 2);
});
