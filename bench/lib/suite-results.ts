/**
 * The suite's results file (bench/results/*.json) and the helpers the console
 * table, docs/benchmarks.md and the chart share to read it.
 */
import type { BenchResult, BenchRow } from './result.ts';
import type { MachineInfo } from './machine.ts';

export type Mode = 'quick' | 'full';

/** A scenario that exited non-zero, timed out or printed no BENCH_RESULT line. */
export interface SuiteFailure {
  scenario: string;
  script: string;
  reason: string;
  exitCode: number | null;
  durationS: number;
  /** The last lines the scenario wrote to stderr (and stdout), for the reader to start from. */
  outputTail: string[];
}

export interface SuiteResults {
  machine: MachineInfo;
  /** The command that produced this file. */
  command: string;
  mode: Mode;
  startedAt: string;
  durationS: number;
  /**
   * One result per scenario. In the `latest-*.json` files, scenarios this run
   * did not include keep their previous result (see each result's startedAt).
   */
  results: BenchResult[];
  failures: SuiteFailure[];
}

/** Columns of the summary: which kind of implementation a row measures. */
export const IMPL_KINDS = ['livegate', 'bare', 'seed', 'floor', 'other'] as const;
export type ImplKind = (typeof IMPL_KINDS)[number];
export const IMPL_KIND_LABEL: Record<ImplKind, string> = {
  livegate: 'Livegate', bare: 'bare Socket.IO', seed: 'seed-style', floor: 'raw ws / physical floor', other: 'other baselines',
};

/** Maps a row's `impl` to its column; the nearby scenario's grid index is Livegate's, the linear scan is what the seeds do. */
export function implKind(impl: string): ImplKind {
  const i = impl.toLowerCase();
  if (i.startsWith('livegate') || i === 'grid') return 'livegate';
  if (i.startsWith('bare')) return 'bare';
  if (i.startsWith('seed') || i === 'linear-scan') return 'seed';
  if (i.startsWith('raw-ws') || i.startsWith('floor') || i.startsWith('physical')) return 'floor';
  return 'other';
}

export function headlineOf(result: BenchResult, row: BenchRow): number | null {
  const v = row.metrics[result.headline.metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A row's label: impl, plus its variant when it has one. */
export const rowLabel = (row: BenchRow): string => (row.variant ? `${row.impl} (${row.variant})` : row.impl);

/** Compact human number: integers as they are, 3 significant digits below 1,000, thousands separators above. */
export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Number.isInteger(n)) return String(n);
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1 || a === 0) return n.toFixed(2);
  return n.toPrecision(2);
}

/** A value with its unit: `12.5 ms`, but `590×` and `35%` without the space. */
export const withUnit = (n: number | null | undefined, unit: string): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : /^[×%]$/.test(unit) ? `${fmt(n)}${unit}` : `${fmt(n)} ${unit}`;

export const fmtRatio = (n: number | null | undefined): string => (n === null || n === undefined || !Number.isFinite(n) ? '—' : `${fmt(n)}×`);

export function goalsMet(result: BenchResult): { met: number; total: number } {
  return { met: result.goals.filter((g) => g.met).length, total: result.goals.length };
}

/** Latest-file merge: this run's results replace older ones; scenarios that failed now lose their old result. */
export function mergeLatest(previous: SuiteResults | null, current: SuiteResults): SuiteResults {
  const fresh = new Set([...current.results.map((r) => r.scenario), ...current.failures.map((f) => f.scenario)]);
  const kept = (previous?.results ?? []).filter((r) => !fresh.has(r.scenario));
  return { ...current, results: [...kept, ...current.results] };
}
