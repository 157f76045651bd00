/**
 * Medians over several runs of the suite: the goals of a round are judged on
 * the median of three runs, not on one (these machines are shared and noisy).
 *   npm run bench:medians -- RESULTS.json RESULTS.json RESULTS.json [--scenarios a,b]
 * Each file is a suite results file (bench/results/*.json, or `--out DIR`'s),
 * or the saved output of one scenario run directly (its `BENCH_RESULT` line),
 * e.g. `npm run bench:relay -- --drivers 2000 > relay-10k-1.txt`.
 * Prints a Markdown table per scenario: every ratio the scenario reports and
 * every goal's measured value, each run's value and the median. A row that
 * was invalid in a run shows its value with ⚠ and still counts (the median
 * is the reader's number; the ⚠ says how far to trust it).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseResult, type BenchResult } from './lib/result.ts';
import { fmt, type SuiteResults } from './lib/suite-results.ts';

const { values: flags, positionals: files } = parseArgs({ options: { scenarios: { type: 'string' } }, allowPositionals: true });
if (files.length === 0) {
  process.stderr.write('usage: npm run bench:medians -- RESULTS.json RESULTS.json … [--scenarios a,b]\n');
  process.exit(2);
}
const only = flags.scenarios ? new Set(flags.scenarios.split(',')) : null;
const runs = files.map(readRun);

/** A suite results file, or one scenario's output read as a suite of one. */
function readRun(file: string): Pick<SuiteResults, 'results' | 'startedAt' | 'mode'> {
  const text = readFileSync(file, 'utf8');
  const single = parseResult(text);
  if (single) return { results: [single], startedAt: single.startedAt, mode: single.quick ? 'quick' : 'full' };
  return JSON.parse(text) as SuiteResults;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const cell = (v: number | null | undefined, invalid = false) => (v === null || v === undefined ? '—' : `${fmt(v)}${invalid ? ' ⚠' : ''}`);

function table(title: string, rows: Array<{ name: string; values: Array<{ v: number | null; invalid?: boolean }> }>): string[] {
  if (rows.length === 0) return [];
  const head = `| ${title} | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} | median |`;
  const out = [head, `|${' --- |'.repeat(runs.length + 2)}`];
  for (const { name, values } of rows) {
    const m = median(values.flatMap(({ v }) => (v === null ? [] : [v])));
    out.push(`| ${name} | ${values.map(({ v, invalid }) => cell(v, invalid)).join(' | ')} | **${cell(m)}** |`);
  }
  return out;
}

const byScenario = (run: { results: BenchResult[] }, name: string): BenchResult | undefined => run.results.find((r) => r.scenario === name);
const lines: string[] = [`Medians of ${runs.length} runs: ${runs.map((r) => `${r.startedAt} (${r.mode})`).join(', ')}.`, ''];
for (const first of runs[0]!.results) {
  if (only && !only.has(first.scenario)) continue;
  const each = runs.map((r) => byScenario(r, first.scenario));
  lines.push(`### ${first.scenario}: ${first.title}`, '');
  const ratios = Object.keys(first.ratios).map((name) => ({ name, values: each.map((r) => ({ v: r?.ratios[name] ?? null })) }));
  lines.push(...table('ratio', ratios), '');
  const headline = first.rows.map((row) => {
    const key = `${row.impl}${row.variant ? ` (${row.variant})` : ''}`;
    return {
      name: `${key}: ${first.headline.metric}`,
      values: each.map((r) => {
        const same = r?.rows.find((x) => x.impl === row.impl && (x.variant ?? '') === (row.variant ?? ''));
        return { v: same?.metrics[first.headline.metric] ?? null, invalid: same ? !same.valid : false };
      }),
    };
  });
  lines.push(...table('headline', headline), '');
  const goals = first.goals.map((g) => ({ name: `${g.name} (${g.target})`, values: each.map((r) => ({ v: r?.goals.find((x) => x.name === g.name)?.value ?? null })) }));
  lines.push(...table('goal', goals), '');
}
process.stdout.write(`${lines.join('\n')}\n`);
