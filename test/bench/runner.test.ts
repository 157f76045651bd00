import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import type { SuiteResults } from '../../bench/lib/suite-results.ts';
import { BEGIN, END, spliceGenerated } from '../../bench/lib/report-md.ts';
import { eventually } from '../helpers/eventually.ts';
import { runCli, type CliProcess } from '../helpers/process.ts';

const RUNNER = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** `node --import tsx bench/run.ts ...args`, shaped like runCli's handle. */
function runRunner(args: string[]): CliProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
  return { proc, stdout: () => out, stderr: () => err, exited, kill: async () => void (proc.exitCode === null && proc.kill('SIGKILL'), await exited) };
}

describe('benchmark runner (livegate bench)', () => {
  const children: CliProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Through the CLI (`livegate bench`), or straight to bench/run.ts (one process fewer to start). */
  async function bench(args: string[], { direct = false } = {}) {
    const child = direct ? runRunner(args) : runCli(['bench', ...args], {});
    children.push(child);
    const { code } = await child.exited;
    return { code, stdout: child.stdout(), stderr: child.stderr() };
  }

  test('a rerun replaces the generated block only', () => {
    const first = spliceGenerated('# Benchmarks\n\nNotes.\n', `${BEGIN}\nold\n${END}`);
    const second = spliceGenerated(first, `${BEGIN}\nnew\n${END}`);
    assert.equal(second, `# Benchmarks\n\n${BEGIN}\nnew\n${END}\n\nNotes.\n`);
  });

  test('--help lists the registered scenarios', async () => {
    const res = await bench(['--help']);
    assert.equal(res.code, 0, res.stderr);
    for (const name of ['idle', 'fanout', 'location-throughput', 'relay', 'nearby', 'dispatch', 'cross-node']) assert.match(res.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  test('an unknown scenario is refused before anything runs', async () => {
    const res = await bench(['no-such-scenario'], { direct: true });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown scenario no-such-scenario/);
  });

  test('a scenario past its timeout is killed with the servers it started, and recorded as failed', async () => {
    const out = await mkdtemp(join(tmpdir(), 'livegate-bench-'));
    dirs.push(out);
    const res = await bench(['--quick', '--timeout', '2', '--out', out, '--script', fixture('hanging-scenario.ts')], { direct: true });
    assert.equal(res.code, 1);
    assert.match(res.stdout, /hanging-scenario\s+FAILED: timed out after 2 s/);
    const pid = Number(/grandchild (\d+)/.exec(res.stderr)?.[1]);
    assert.ok(pid > 0, res.stderr);
    // Gone, or a zombie waiting for init to reap it: either way no longer running.
    const running = () => existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    await eventually(() => assert.equal(running(), false, `the scenario's child ${pid} still runs`));
  });

  test('runs each scenario, records a failing one and carries on, writes results JSON, markdown and chart', async () => {
    const out = await mkdtemp(join(tmpdir(), 'livegate-bench-'));
    dirs.push(out);
    writeFileSync(join(out, 'benchmarks.md'), '# Benchmarks\n\nHand-written history that must survive.\n');
    const res = await bench(['--quick', '--write-docs', '--out', out, '--script', fixture('broken-scenario.ts'), '--script', fixture('fake-scenario.ts')], { direct: true });
    assert.equal(res.code, 1, 'a failed scenario makes the run fail');
    assert.match(res.stderr, /broken-scenario\s+\d+s │ about to fail/, 'stderr is forwarded with the scenario name and elapsed time');
    assert.match(res.stderr, /open-files limit in effect: \d+/);
    assert.match(res.stdout, /fake-scenario\s+livegate\s+12\.5 ms/);
    assert.match(res.stdout, /FAILED: exit code 3, no BENCH_RESULT line/);

    const files = readdirSync(out).sort();
    assert.ok(files.some((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\dZ-quick\.json$/.test(f)), files.join(', '));
    const latest = JSON.parse(readFileSync(join(out, 'latest-quick.json'), 'utf8')) as SuiteResults;
    assert.equal(latest.mode, 'quick');
    assert.match(latest.command, /^node --import tsx bench\/run\.ts --quick --write-docs --out /);
    assert.ok(latest.machine.cores > 0 && latest.machine.node.startsWith('v'));
    assert.equal(latest.results.length, 1);
    assert.equal(latest.results[0]!.scenario, 'fake-scenario');
    assert.equal(latest.results[0]!.quick, true, 'the quick flag reached the scenario');
    assert.deepEqual(latest.failures.map((f) => [f.scenario, f.exitCode]), [['broken-scenario', 3]]);

    const md = readFileSync(join(out, 'benchmarks.md'), 'utf8');
    assert.match(md, /Hand-written history that must survive/);
    assert.match(md, /<!-- bench:begin -->[\s\S]*<!-- bench:end -->/);
    assert.match(md, /\| \[fake-scenario\]\(#[^)]+\) \(quick\) \| 12\.5 ms \| 20 ms \| 2,500 ms \(per-user emit loop\) ⚠ INVALID \|/);
    assert.match(md, /❌ missed: \*\*fake-scenario\*\* p99\.9, ≤ 50 ms: measured 61 ms/);
    assert.match(md, /generator lagged 120 ms/);
    assert.match(md, /\*\*broken-scenario\*\* failed/);
    assert.ok(existsSync(join(out, 'benchmarks.svg')));
    assert.match(readFileSync(join(out, 'benchmarks.svg'), 'utf8'), /^<svg [^>]*>[\s\S]*fake-scenario[\s\S]*<\/svg>\n$/);

  });
});
