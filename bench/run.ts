/**
 * The benchmark suite runner.
 *   npm run bench [-- --quick] [-- scenario ...]        (or `livegate bench …`)
 *   node --import tsx bench/run.ts --list
 * Runs the scenarios of bench/scenarios.ts one after another (never in
 * parallel), each as a child process, prints a results table, writes
 * bench/results/<date>-<mode>.json and latest-<mode>.json, and, in full mode
 * or with --write-docs, regenerates the marked part of docs/benchmarks.md and
 * docs/benchmarks.svg. Exits 1 when a scenario failed (missed goals do not).
 *
 * `--check` (on by itself when CI=true) is the gate CI runs after the tests:
 * besides crashed scenarios it fails a scenario whose result holds no
 * sample at all or that lost deliveries that must not be lost (see
 * `integrityProblems`), and never on numbers, goals or rows marked invalid
 * because the machine was busy (a lagging generator is noise on a shared
 * 2-core runner, not a defect).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './lib/chart-svg.ts';
import { fdLimit, machineInfo } from './lib/machine.ts';
import { renderMarkdown, spliceGenerated } from './lib/report-md.ts';
import { killCurrent, runScenario } from './lib/run-scenario.ts';
import { printSummary } from './lib/summary-table.ts';
import { mergeLatest, type Mode, type SuiteFailure, type SuiteResults } from './lib/suite-results.ts';
import type { BenchResult } from './lib/result.ts';
import { integrityProblems } from './integrity.ts';
import { adHocScenario, SCENARIOS, type ScenarioSpec } from './scenarios.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const FD_MARK = 'LIVEGATE_BENCH_FD_RAISED';

interface Options { timeoutS: number | null; quick: boolean; check: boolean; list: boolean; help: boolean; verbose: boolean; writeDocs: boolean; out: string | null; scripts: string[]; names: string[] }

function parseArgs(argv: string[]): Options {
  const o: Options = { timeoutS: null, quick: false, check: process.env.CI === 'true', list: false, help: false, verbose: false, writeDocs: false, out: null, scripts: [], names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--full') o.quick = false;
    else if (a === '--list') o.list = true;
    else if (a === '--check') o.check = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--write-docs') o.writeDocs = true;
    else if (a === '--out' || a.startsWith('--out=')) o.out = resolve(value());
    else if (a === '--timeout' || a.startsWith('--timeout=')) o.timeoutS = Number(value());
    else if (a === '--script' || a.startsWith('--script=')) o.scripts.push(resolve(value()));
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.names.push(a);
  }
  if (o.timeoutS !== null && !(o.timeoutS > 0)) throw new Error('--timeout takes a positive number of seconds');
  return o;
}

function usage(): string {
  const list = SCENARIOS.map((s) => `  ${s.name.padEnd(20)} ~${String(s.estimateS.quick).padStart(3)} s quick, ~${String(s.estimateS.full).padStart(3)} s full  ${s.optional ? '(only when named) ' : ''}${s.description}`);
  return [
    'Usage: npm run bench [-- --quick] [-- scenario ...]   |   livegate bench [--quick] [scenario ...]',
    '  --quick          short smoke runs (seconds per scenario); the full mode is what the docs report',
    '  --list           list the scenarios and exit',
    '  --check          also fail a scenario with no samples or with lost deliveries (on by itself when CI=true); never on numbers',
    '  --write-docs     regenerate docs/benchmarks.md and docs/benchmarks.svg in quick mode too (full mode always does)',
    '  --out DIR        write results (and docs) into DIR instead of bench/results and docs',
    '  --script PATH    also run a script outside the registry (named after its file)',
    '  --timeout S      kill a scenario (and the servers it started) after S seconds (default: 4 × its estimate + 120)',
    '  --verbose        echo the scenarios\' stdout (their own tables) as well as their stderr',
    'Scenarios (all but the optional ones when none is named):',
    ...list,
  ].join('\n');
}

/** Re-runs this process under `ulimit -n <hard>` once when the soft open-files limit is below the hard one. */
function raiseFdLimit(argv: string[]): void {
  const { soft, hard } = fdLimit();
  if (process.env[FD_MARK] || soft === null || (hard !== null && soft >= hard)) return;
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; exec "$@"';
  const r = spawnSync('bash', ['-c', script, 'bash', process.execPath, ...process.execArgv, SELF, ...argv], { stdio: 'inherit', env: { ...process.env, [FD_MARK]: '1' } });
  if (r.error) return; // no bash: carry on with the current limit, reported below
  process.exit(r.status ?? 1);
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

function select(o: Options): ScenarioSpec[] {
  const unknown = o.names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const named = o.names.length ? SCENARIOS.filter((s) => o.names.includes(s.name)) : o.scripts.length ? [] : SCENARIOS.filter((s) => !s.optional);
  return [...named, ...o.scripts.map(adHocScenario)];
}

/** How the user started the suite, for the `command` recorded in the results. */
function invokedAs(argv: string[]): { prefix: string; args: string[] } {
  if (argv[0] !== '--via-cli') return { prefix: 'node --import tsx bench/run.ts', args: argv };
  return { prefix: process.env.npm_lifecycle_event === 'bench' ? 'npm run bench --' : 'livegate bench', args: argv.slice(1) };
}

async function main(rawArgv: string[]): Promise<number> {
  const { prefix, args: argv } = invokedAs(rawArgv);
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage()}\n`);
    return 2;
  }
  if (o.help || o.list) {
    process.stdout.write((o.help ? usage() : SCENARIOS.map((s) => `${s.name}\t${s.script}\t${s.description}`).join('\n')) + '\n');
    return 0;
  }
  let specs: ScenarioSpec[];
  try {
    specs = select(o);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  raiseFdLimit(rawArgv);

  const mode: Mode = o.quick ? 'quick' : 'full';
  const log = (line: string) => process.stderr.write(line + '\n');
  const machine = machineInfo(ROOT);
  const command = argv.length ? `${prefix} ${argv.join(' ')}` : prefix.replace(/ --$/, '');
  const startedAt = new Date().toISOString();
  const fd = machine.fdLimit;
  const estimate = specs.reduce((s, x) => s + x.estimateS[mode], 0);
  log(`Benchmark suite, ${mode} mode: ${specs.map((s) => s.name).join(', ')} (about ${Math.ceil(estimate / 60)} min, one at a time)`);
  log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memGiB} GiB, Node ${machine.node}, Socket.IO ${machine.socketio ?? '?'}; load ${machine.loadavg.join(' ')}`);
  log(`open-files limit in effect: ${fd.soft ?? 'unknown'} (hard ${fd.hard ?? 'unlimited'})${fd.soft !== null && fd.hard !== null && fd.soft < fd.hard ? ' — could not raise it to the hard limit' : ''}`);

  const results: BenchResult[] = [];
  const failures: SuiteFailure[] = [];
  const stop = (signal: NodeJS.Signals) => {
    killCurrent('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const [i, spec] of specs.entries()) {
    log(`\n▶ [${i + 1}/${specs.length}] ${spec.name} (~${spec.estimateS[mode]} s): ${spec.description}; load ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    if (!existsSync(resolve(ROOT, spec.script))) {
      log(`✗ ${spec.name}: ${spec.script} does not exist`);
      failures.push({ scenario: spec.name, script: spec.script, reason: `${spec.script} does not exist`, exitCode: null, durationS: 0, outputTail: [] });
      continue;
    }
    const run = await runScenario({
      name: spec.name, root: ROOT, script: spec.script, args: spec.args[mode], verbose: o.verbose, log,
      timeoutS: o.timeoutS ?? spec.estimateS[mode] * 4 + 120,
    });
    const broken = run.result && o.check ? integrityProblems(run.result) : [];
    if (run.result && broken.length) {
      results.push({ ...run.result, scenario: spec.name });
      log(`✗ ${spec.name}: ${broken.join('; ')}`);
      failures.push({ scenario: spec.name, script: spec.script, reason: broken.join('; '), exitCode: run.exitCode, durationS: run.durationS, outputTail: run.outputTail });
    } else if (run.result) {
      if (run.result.scenario !== spec.name) log(`  (${spec.name} reported itself as '${run.result.scenario}'; filed under '${spec.name}')`);
      results.push({ ...run.result, scenario: spec.name });
      log(`✓ ${spec.name} in ${run.durationS.toFixed(0)} s${run.exitCode ? ` (exit code ${run.exitCode} after its result)` : ''}`);
    } else {
      log(`✗ ${spec.name} failed after ${run.durationS.toFixed(0)} s: ${run.failure}`);
      for (const line of run.outputTail.slice(-8)) log(`    ${line}`);
      failures.push({ scenario: spec.name, script: spec.script, reason: run.failure ?? 'no result', exitCode: run.exitCode, durationS: run.durationS, outputTail: run.outputTail });
    }
  }

  const suite: SuiteResults = { machine, command, mode, startedAt, durationS: Math.round((Date.now() - Date.parse(startedAt)) / 1000), results, failures };
  printSummary(suite, (line) => process.stdout.write(line + '\n'));
  writeOutputs(suite, o);
  return failures.length ? 1 : 0;
}

/** A path relative to the working directory when it is under it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

function writeOutputs(suite: SuiteResults, o: Options): void {
  const dir = o.out ?? join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = suite.startedAt.slice(0, 16).replace(':', '-') + 'Z';
  const dated = join(dir, `${stamp}-${suite.mode}.json`);
  const latestPath = join(dir, `latest-${suite.mode}.json`);
  const order = (r: BenchResult) => {
    const i = SCENARIOS.findIndex((s) => s.name === r.scenario);
    return i < 0 ? SCENARIOS.length : i;
  };
  const latest = mergeLatest(readJson<SuiteResults>(latestPath), suite);
  latest.results.sort((a, b) => order(a) - order(b));
  writeFileSync(dated, JSON.stringify(suite, null, 1) + '\n');
  writeFileSync(latestPath, JSON.stringify(latest, null, 1) + '\n');
  process.stdout.write(`\nresults: ${shown(dated)}, ${shown(latestPath)}\n`);
  if (suite.mode !== 'full' && !o.writeDocs) return;
  const docsDir = o.out ?? join(ROOT, 'docs');
  const md = join(docsDir, 'benchmarks.md');
  const svg = join(docsDir, 'benchmarks.svg');
  const source = relative(dirname(md), latestPath) || latestPath;
  const caption = `${suite.command} · ${suite.machine.cpuModel}, ${suite.machine.cores} cores · Node ${suite.machine.node} · Socket.IO ${suite.machine.socketio ?? '?'} · ${suite.startedAt.slice(0, 10)}`;
  writeFileSync(svg, renderChart(latest.results, caption));
  const existing = existsSync(md) ? readFileSync(md, 'utf8') : null;
  writeFileSync(md, spliceGenerated(existing, renderMarkdown(latest, 'benchmarks.svg', source)));
  process.stdout.write(`docs: ${shown(md)}, ${shown(svg)}\n`);
}

process.exitCode = await main(process.argv.slice(2));
