/**
 * The servers a scenario compares: Livegate (bench/lib/spawn-server.ts) and
 * the baselines in bench/baselines/, each in its own process so its CPU and
 * RSS are its own. `stop()` sends SIGTERM and waits (so a `--cpu-prof`
 * profile is written), then SIGKILL after a grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signToken } from '../../src/auth/token-signer.ts';
import { freePort, spawnGateway } from './spawn-server.ts';

const CLI = fileURLToPath(new URL('../../bin/livegate.js', import.meta.url));

// A scenario stopped by a signal (a runner's timeout, Ctrl-C) still runs its exit hooks, which kill its servers and clients.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));

export const IMPLS = ['livegate', 'bare-socketio', 'seed-style', 'raw-ws'] as const;
export type Impl = (typeof IMPLS)[number];
export const SECRET = 'bench-secret-0123456789-0123456789-abcdef';

export interface Target { impl: Impl; pid: number; url: string; proc: ChildProcess; stop(): Promise<void> }

async function stopGracefully(proc: ChildProcess, graceMs = 10_000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function spawnBaseline(impl: Exclude<Impl, 'livegate'>, execArgv: string[]): Promise<Target> {
  const port = await freePort();
  const script = fileURLToPath(new URL(`../baselines/${impl}.ts`, import.meta.url));
  const proc = spawn(process.execPath, [...execArgv, '--import', 'tsx', script], {
    env: { ...process.env, PORT: String(port), JWT_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => proc.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${impl} did not start`)), 90_000);
    proc.once('exit', (code) => reject(new Error(`${impl} exited with ${code}`)));
    proc.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { impl, pid: proc.pid!, url: `http://127.0.0.1:${port}`, proc, stop: () => stopGracefully(proc) };
}

/**
 * Starts one implementation. Livegate gets `env` (on top of the bench
 * defaults: no rate limits, no heartbeat, PGlite in memory); `profileDir`
 * runs the server under `--cpu-prof`.
 */
export async function startTarget(impl: Impl, opts: { env?: Record<string, string>; profileDir?: string | undefined } = {}): Promise<Target> {
  // Node refuses --cpu-prof in NODE_OPTIONS, so a profiled server is started with it on the command line.
  const execArgv = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  if (impl !== 'livegate') return spawnBaseline(impl, execArgv);
  const env = {
    JWT_SECRET: SECRET, RATE_LIMIT_LOCATION: '0', RATE_LIMIT_DEFAULT: '0', RATE_LIMIT_AUTH: '0', SHUTDOWN_DRAIN_MS: '0', LOG_LEVEL: 'error',
    MAX_CONNECTIONS_PER_USER: '5', ...opts.env,
  };
  const gw = execArgv.length ? await spawnProfiledGateway(env, execArgv) : await spawnGateway(env);
  return { impl, pid: gw.proc.pid!, url: gw.url, proc: gw.proc, stop: () => stopGracefully(gw.proc) };
}

/** spawnGateway's process with extra node flags (same environment defaults as spawnGateway). */
async function spawnProfiledGateway(env: Record<string, string>, execArgv: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [...execArgv, CLI, 'start'], {
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '0.0.0.0', DATA_DIR: 'memory', LOG_LEVEL: 'warn', HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', RATE_LIMIT_DEFAULT: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => proc.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 900; i++) {
    if (proc.exitCode !== null) throw new Error(`gateway exited with ${proc.exitCode}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { proc, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('gateway did not start');
}

export function token(sub: string, role: 'admin' | 'driver' | 'passenger' | 'service', ttl = '6h'): Promise<string> {
  return signToken(SECRET, { sub, role, ttl });
}

/** Registers vehicles with their drivers (`POST /api/vehicles`, the same call on every implementation). */
export async function createVehicles(url: string, vehicles: { id: string; driverId: string }[]): Promise<void> {
  const auth = `Bearer ${await token('bench-service', 'service')}`;
  for (let i = 0; i < vehicles.length; i += 50) {
    await Promise.all(vehicles.slice(i, i + 50).map(async (v, j) => {
      const res = await fetch(`${url}/api/vehicles`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ id: v.id, plateNumber: `B-${i + j}`, driverId: v.driverId, status: 'active' }),
      });
      if (res.status !== 201) throw new Error(`POST /api/vehicles ${v.id}: ${res.status} ${await res.text()}`);
    }));
  }
}

export const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** `--quick`, `--impls a,b`, `--profile DIR` from argv. */
export function scenarioArgs(argv = process.argv.slice(2)) {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const impls = value('impls')?.split(',').filter((s): s is Impl => (IMPLS as readonly string[]).includes(s));
  return { quick: argv.includes('--quick'), impls, profileDir: value('profile'), value };
}

export const round = (x: number, digits = 0) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : null);
export const log = (s: string) => process.stderr.write(`${s}\n`);

/** User and system CPU seconds of a process, separately (/proc/PID/stat): system time is the kernel's TCP work. */
export function cpuSplitOf(pid: number): { user: number; sys: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, sys: Number(fields[12]) / 100 };
}

/**
 * Seconds the process's main thread spent runnable but waiting for a CPU
 * (/proc/PID/schedstat): the sign of a machine shared with other work, which
 * inflates latencies without showing in the process's own CPU time.
 */
export function runQueueWaitS(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
}
