import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';
import { registerProcess } from './server-registry.ts';

const CLI = fileURLToPath(new URL('../../bin/livegate.js', import.meta.url));

export interface CliProcess {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (code null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL unless it has already exited; for `after` hooks. */
  kill(): Promise<void>;
}

/**
 * Runs `node bin/livegate.js ...args` with exactly `env` (plus PATH and HOME),
 * so a JWT_SECRET or DATABASE_URL in the developer's shell cannot leak in.
 */
export function runCli(args: string[], env: Record<string, string>): CliProcess {
  const proc = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // SIGKILLed however the test process ends, even if kill() is never called (see server-registry.ts).
  registerProcess(proc);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** SIGTERM (a graceful shutdown), then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: CliProcess, graceMs = 10_000): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), graceMs)));
  const outcome = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    process.stderr.write(`pid ${proc.pid} ignored SIGTERM for ${graceMs} ms: SIGKILL\n`);
    await child.kill();
  }
}

/** Polls `url` until it answers 200; fails early with the process output if it exits first. */
export async function waitForHttp(child: CliProcess, url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`process exited with ${child.proc.exitCode}\nstdout: ${child.stdout()}\nstderr: ${child.stderr()}`);
    try {
      // Bounded: a process that accepts but never answers must not stall the wait past its deadline.
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms\nstderr: ${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface GatewayProcess {
  cli: CliProcess;
  url: string;
  port: number;
  /** SIGKILL, waited for; idempotent. */
  stop(): Promise<void>;
}

/**
 * `livegate start` in its own process on a free port (with test defaults
 * under `env`), resolved once /healthz answers. For tests that kill a node.
 */
export async function startGatewayProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<GatewayProcess> {
  const port = await freePort();
  const cli = runCli(['start'], {
    NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory', LOG_LEVEL: 'warn',
    HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', RATE_LIMIT_DEFAULT: '0', ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(cli, `${url}/healthz`, timeoutMs);
  } catch (err) {
    await cli.kill();
    throw err;
  }
  return { cli, url, port, stop: () => cli.kill() };
}
