/**
 * Dashboard feed: server CPU per position update delivered to operator dashboards.
 *   node --import tsx bench/scenarios/dashboard.ts [--quick] [--vehicles 10000] [--dashboards 10] [--batch-ms 500]
 *
 * 10 dashboards on `/admin` watch 10,000 vehicles that each move once a
 * second (10,000 fixes/s, generated inside the server process as the
 * location pipeline hands them on). Livegate: the real DashboardFeed keeps
 * the newest position per vehicle and sends one `dashboard:positions` batch
 * per `--batch-ms` to the room (Socket.IO encodes a room emit once). Bare
 * Socket.IO, same run, same generator: `io.of('/admin').to(room).emit()`
 * per fix. A third row has nobody watching (the feed must then cost ~nothing
 * beyond keeping the newest position).
 *
 * Measured over a window after a warm-up: server CPU (user + system, /proc)
 * and updates received by the dashboards (a batch entry counts as one
 * update, like one bare emit). Headline: updates delivered per second per
 * server core. A row is invalid when the dashboards received less than 90 %
 * of what the generator produced × dashboards (they could not keep up).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { cpuSecondsOf } from '../lib/proc.ts';
import { report, type BenchRow } from '../lib/result.ts';
import { load, log, round, scenarioArgs } from '../lib/targets.ts';

const args = scenarioArgs();
const { quick } = args;
const VEHICLES = Number(args.value('vehicles') ?? 10_000);
const DASHBOARDS = Number(args.value('dashboards') ?? 10);
const BATCH_MS = Number(args.value('batch-ms') ?? 500);
const RATE = 1;
const WARMUP_MS = quick ? 3_000 : 5_000;
const WINDOW_MS = quick ? 8_000 : 20_000;
const startedAt = new Date();
const loadStart = load();

interface Server { proc: ChildProcess; port: number; sent: () => number; stop(): Promise<void> }

async function startServer(impl: 'livegate' | 'bare', dashboards: number): Promise<Server> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/scenarios/dashboard-server.ts', impl, String(VEHICLES), String(RATE), String(BATCH_MS), String(dashboards)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let sent = 0;
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout! });
    lines.on('line', (line) => {
      const [word, n] = line.split(' ');
      if (word === 'ready') resolve(Number(n));
      if (word === 'sent') sent = Number(n);
    });
    proc.once('exit', (code) => reject(new Error(`${impl} server exited ${code}`)));
  });
  return {
    proc, port, sent: () => sent,
    stop: () => new Promise((r) => {
      proc.once('exit', () => r());
      proc.kill('SIGTERM');
    }),
  };
}

/**
 * A dashboard as a raw Engine.IO/Socket.IO v4 client over `ws` (what
 * socket.io-client sends, minus its parsing): one process must read 100,000
 * bare packets a second. Counts updates: entries of a batch, or bare packets.
 */
function connectDashboard(port: number, impl: 'livegate' | 'bare', count: (n: number) => void): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const first = data[0];
      if (first === 0x30) return void ws.send('40/admin,'); // Engine.IO open → connect to /admin
      if (first === 0x32) return void ws.send('3'); // ping → pong
      const text = data.toString();
      if (text.startsWith('40/admin,')) return resolve(ws);
      if (!text.startsWith('42/admin,')) return;
      if (impl === 'bare') return count(1);
      const [, batch] = JSON.parse(text.slice('42/admin,'.length)) as [string, { vehicles: unknown[] }];
      count(batch.vehicles.length);
    });
  });
}

async function measure(impl: 'livegate' | 'bare', dashboards: number): Promise<BenchRow> {
  const server = await startServer(impl, dashboards);
  const sockets: WebSocket[] = [];
  let received = 0;
  try {
    for (let i = 0; i < dashboards; i++) sockets.push(await connectDashboard(server.port, impl, (n) => void (received += n)));
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const cpu0 = cpuSecondsOf(server.proc.pid!);
    const rx0 = received;
    const sent0 = server.sent();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const cpu = cpuSecondsOf(server.proc.pid!) - cpu0;
    const seconds = (performance.now() - t0) / 1000;
    const delivered = received - rx0;
    // What the generator produced in the window (it lags on a loaded machine), to every dashboard.
    const offered = (server.sent() - sent0) * dashboards;
    const perCore = cpu > 0 ? delivered / cpu : null;
    const row: BenchRow = {
      impl: impl === 'bare' ? 'bare-socketio' : 'livegate',
      variant: `${dashboards} dashboards`,
      metrics: {
        fixesPerS: round((server.sent() - sent0) / seconds), updatesDeliveredPerS: round(delivered / seconds), serverCpuPct: round((cpu / seconds) * 100, 1),
        updatesPerSPerCore: perCore === null ? null : round(perCore), 
      },
      valid: dashboards === 0 || delivered >= 0.9 * offered,
      ...(dashboards > 0 && delivered < 0.9 * offered ? { note: `received ${Math.round(delivered)} of ${Math.round(offered)} offered (the dashboards fell behind)` } : {}),
    };
    log(`${row.impl} (${row.variant}): ${JSON.stringify(row.metrics)}${row.valid ? '' : ' INVALID'}`);
    return row;
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}

const rows = [await measure('livegate', 0), await measure('livegate', DASHBOARDS), await measure('bare', DASHBOARDS)];
const [idle, livegate, bare] = rows as [BenchRow, BenchRow, BenchRow];
const perCore = livegate.metrics.updatesPerSPerCore ?? null;
const ratio = perCore !== null && bare.metrics.updatesPerSPerCore ? round(perCore / bare.metrics.updatesPerSPerCore, 1) : null;
report({
  scenario: 'dashboard',
  title: `Dashboard feed: ${DASHBOARDS} dashboards watching ${VEHICLES.toLocaleString('en')} vehicles at ${RATE} fix/s each`,
  quick,
  command: `node --import tsx bench/scenarios/dashboard.ts${quick ? ' --quick' : ''} --vehicles ${VEHICLES} --dashboards ${DASHBOARDS} --batch-ms ${BATCH_MS}`,
  headline: { metric: 'updatesPerSPerCore', unit: 'updates/s/core', higherIsBetter: true },
  rows,
  ratios: { 'livegate/bare-socketio updates per core': ratio, 'livegate idle cpu %': idle.metrics.serverCpuPct ?? null },
  goals: [
    { name: 'updates delivered per core', target: '≥ 300k updates/s/core', value: perCore, unit: 'updates/s/core', met: perCore !== null && perCore >= 300_000 && livegate.valid },
    { name: 'vs bare Socket.IO', target: '≥ 10× bare', value: ratio, unit: '×', met: ratio !== null && ratio >= 10 },
  ],
  load: { start: loadStart, end: load() },
  startedAt: startedAt.toISOString(),
  durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
  notes: ['Generator inside each server process (same code for both); its CPU is included in both rows (see the 0-dashboard row).'],
});
process.exit(0);
