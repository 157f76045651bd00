/**
 * Idle RSS of `livegate start` with the embedded default (PGlite under a
 * fresh DATA_DIR, no connections) next to a bare Socket.IO server measured
 * the same way in the same run. RSS is /proc/PID/status VmRSS once it has
 * stopped moving (start-up garbage returned); the PGlite thread's memory is
 * part of the process's.
 *   node --import tsx bench/scenarios/idle-rss.ts [--quick]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoopDelayWindow } from '../lib/loop-delay.ts';
import { settledRss } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { freePort } from '../lib/spawn-server.ts';
import { load, log, round, scenarioArgs, SECRET, startTarget } from '../lib/targets.ts';

const { quick } = scenarioArgs();
const GOAL_MIB = 150;
const CLI = fileURLToPath(new URL('../../bin/livegate.js', import.meta.url));
const startedAt = new Date();
const loadStart = load();
const MiB = (bytes: number) => round(bytes / 2 ** 20, 1) ?? 0;

/** `node bin/livegate.js start` as `npm start` runs it, with a fresh DATA_DIR. */
async function measureLivegate(): Promise<BenchRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'livegate-idle-rss-'));
  const port = await freePort();
  const t0 = Date.now();
  const proc = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => proc.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`livegate exited with ${proc.exitCode}`);
      if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
      if (Date.now() - t0 > 300_000) throw new Error('livegate was not ready in 300 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const readyS = (Date.now() - t0) / 1000;
    const window = await startLoopDelayWindow(url);
    const rss = await settledRss(proc.pid!, { everyMs: 1000, maxReadings: quick ? 20 : 40 });
    const loop = await window.end();
    log(`livegate: ready in ${round(readyS, 1)} s, idle RSS ${MiB(rss)} MiB, idle loop delay p99 ${loop.p99Ms} ms`);
    return { impl: 'livegate', variant: 'PGlite, fresh DATA_DIR', metrics: { idleRssMiB: MiB(rss), readyS: round(readyS, 1), loopDelayP99Ms: loop.p99Ms }, valid: true };
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r(null) : proc.once('exit', r)));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureBare(): Promise<BenchRow> {
  const target = await startTarget('bare-socketio');
  try {
    const rss = await settledRss(target.pid, { everyMs: 1000, maxReadings: quick ? 20 : 40 });
    log(`bare-socketio: idle RSS ${MiB(rss)} MiB`);
    return { impl: 'bare-socketio', metrics: { idleRssMiB: MiB(rss) }, valid: true };
  } finally {
    await target.stop();
  }
}

const failed = (impl: string) => (err: unknown): BenchRow => {
  log(`${impl} failed: ${(err as Error).message}`);
  return { impl, metrics: {}, valid: false, note: `failed: ${(err as Error).message}` };
};
const rows = [await measureLivegate().catch(failed('livegate')), await measureBare().catch(failed('bare-socketio'))];
console.table(rows.map((r) => ({ impl: r.impl, ...r.metrics, valid: r.valid })));
const lg = rows[0]!.metrics.idleRssMiB ?? null;
const bare = rows[1]!.metrics.idleRssMiB ?? null;
report({
  scenario: 'idle-rss',
  title: 'Idle RSS of `livegate start` (PGlite, fresh DATA_DIR, no connections)',
  quick,
  command: `node --import tsx bench/scenarios/idle-rss.ts${quick ? ' --quick' : ''}`,
  headline: { metric: 'idleRssMiB', unit: 'MiB', higherIsBetter: false },
  rows,
  ratios: { 'livegate/bare-socketio idleRssMiB': lg !== null && bare ? round(lg / bare, 2) : null },
  goals: [{ name: 'idle RSS of npm start with the embedded default', target: `≤ ${GOAL_MIB} MiB`, value: lg, unit: 'MiB', met: rows[0]!.valid && lg !== null && lg <= GOAL_MIB }],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: ['VmRSS from /proc/PID/status after it stops moving; the PGlite thread is part of the process.'],
});
process.exit(0);
