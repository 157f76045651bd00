/**
 * Runs one scenario script as a child process: its stderr is forwarded as
 * progress (prefixed with the scenario name and the elapsed time), its stdout
 * is captured for the `BENCH_RESULT` line. The child gets its own process
 * group so a timeout or Ctrl-C takes down the servers it started too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RESULT_PREFIX, type BenchResult } from './result.ts';

export interface ScenarioRun {
  result: BenchResult | null;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationS: number;
  /** Why no result was taken (exit code, timeout, missing or malformed line); null when there is a result. */
  failure: string | null;
  outputTail: string[];
}

export interface RunOptions {
  name: string;
  root: string;
  script: string;
  args: string[];
  timeoutS: number;
  /** Also echo the scenario's stdout (tables), not only its stderr. */
  verbose: boolean;
  log: (line: string) => void;
}

const TAIL = 20;
let current: ChildProcess | null = null;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Kills the running scenario's whole process group (used on timeout and by the runner's signal handlers). */
export function killCurrent(signal: NodeJS.Signals = 'SIGKILL'): void {
  killGroup(current?.pid, signal);
}

function isResult(x: unknown): x is BenchResult {
  const r = x as Partial<BenchResult> | null;
  return !!r && typeof r === 'object' && typeof r.scenario === 'string' && Array.isArray(r.rows) && typeof r.headline?.metric === 'string';
}

export function runScenario(o: RunOptions): Promise<ScenarioRun> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s`;
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > TAIL) tail.shift();
  };
  let resultLine: string | null = null;
  let lastOutput = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', o.script, ...o.args], { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  current = child;
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lastOutput = Date.now();
    keep(line);
    o.log(`  ${o.name} ${elapsed()} │ ${line}`);
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lastOutput = Date.now();
    if (line.startsWith(RESULT_PREFIX)) return void (resultLine = line);
    keep(line);
    if (o.verbose) o.log(`  ${o.name} ${elapsed()} │ ${line}`);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    o.log(`  ${o.name} ${elapsed()} │ timed out after ${o.timeoutS} s: killing its process group`);
    killCurrent('SIGTERM');
    setTimeout(() => killCurrent('SIGKILL'), 5_000).unref();
  }, o.timeoutS * 1000);
  const quiet = setInterval(() => {
    if (Date.now() - lastOutput >= 15_000) o.log(`  ${o.name} ${elapsed()} │ … still running`);
  }, 15_000);
  // Servers the scenario started share its group and may hold its pipes open: never leave them behind.
  child.once('exit', () => killGroup(child.pid, 'SIGKILL'));
  return new Promise((resolve) => {
    let done = false;
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(quiet);
      current = null;
      const durationS = (Date.now() - started) / 1000;
      let result: BenchResult | null = null;
      let failure: string | null = null;
      if (spawnError) failure = `could not start: ${spawnError.message}`;
      else if (timedOut) failure = `timed out after ${o.timeoutS} s`;
      else if (resultLine === null) failure = signal ? `killed by ${signal}, no BENCH_RESULT line` : `exit code ${exitCode}, no BENCH_RESULT line`;
      else {
        try {
          const parsed: unknown = JSON.parse((resultLine as string).slice(RESULT_PREFIX.length));
          if (isResult(parsed)) result = parsed;
          else failure = 'BENCH_RESULT line lacks scenario, rows or headline';
        } catch (err) {
          failure = `BENCH_RESULT line is not JSON: ${(err as Error).message}`;
        }
      }
      resolve({ result, exitCode, signal, timedOut, durationS, failure, outputTail: [...tail] });
    };
    child.once('error', (err) => finish(null, null, err));
    // 'close', not 'exit': all output has been read by then.
    child.once('close', (code, signal) => finish(code, signal));
  });
}
