/**
 * The one shape every benchmark scenario reports, so `npm run bench` can run
 * scenarios as child processes, collect them, and write results JSON and
 * docs/benchmarks.md. A scenario script prints human progress and tables as it
 * likes, and ends with exactly one line `BENCH_RESULT <json>` (see `report`).
 */
export interface BenchRow {
  /** What was measured: 'livegate', 'bare-socketio', 'seed-style', 'raw-ws', 'linear-scan', 'redis-geosearch', … */
  impl: string;
  /** Free-form label of the variant (rate, adapter, storage, …); empty when there is one row per impl. */
  variant?: string;
  /** The measured numbers of this row, by name, units in the name (p99Ms, framesPerSPerCore, bytesPerConn, …). */
  metrics: Record<string, number | null>;
  /** false when the generator lagged, the expected count was not received, or a limit was hit. */
  valid: boolean;
  /** Why a row is invalid, or anything a reader must know about it. */
  note?: string;
}

export interface BenchGoal {
  name: string;
  /** Human text of the target, e.g. '≥ 100k frames/s/core'. */
  target: string;
  /** The measured value compared with the target. */
  value: number | null;
  unit: string;
  met: boolean;
}

export interface BenchResult {
  scenario: string;
  title: string;
  quick: boolean;
  /** The command that reproduces this result. */
  command: string;
  /** The metric the summary table and the chart compare across impls (a key of BenchRow.metrics). */
  headline: { metric: string; unit: string; higherIsBetter: boolean };
  rows: BenchRow[];
  /** Ratios against baselines, named like 'livegate/bare-socketio p99' → number. */
  ratios: Record<string, number | null>;
  goals: BenchGoal[];
  /** Load average at start and end, so a noisy run can be recognised. */
  load: { start: number[]; end: number[] };
  startedAt: string;
  durationS: number;
  notes?: string[];
}

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints the scenario's result line (the last thing a scenario prints). */
export function report(result: BenchResult): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Parses the result line from a scenario's stdout, or null when it printed none. */
export function parseResult(stdout: string): BenchResult | null {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult) : null;
}
