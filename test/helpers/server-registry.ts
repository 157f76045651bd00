import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Every server a test helper starts outside this process (redis-server,
 * PostgreSQL, gateway processes) is listed here until it is stopped, so no
 * way out of a test file leaves one behind:
 * - normal end or a failed assertion: the helper's own `stop()` / `after` hook;
 * - `process.exit()` or an uncaught throw: the synchronous cleanups on 'exit';
 * - SIGTERM (what the test runner sends a file that timed out), SIGINT,
 *   SIGHUP: the same cleanups, then the signal's default action;
 * - SIGKILL or anything else no handler survives: the watchdog process
 *   (watchdog.js), which sees its stdin close when this process is gone.
 */

export interface Registration {
  /** Stopped by its helper: forget it. */
  release(): void;
}

const cleanups = new Map<symbol, () => void>();
let watchdog: ChildProcess | undefined;
let installed = false;

function tell(line: string): void {
  const input = watchdog?.stdin;
  if (input && !input.destroyed) input.write(`${line}\n`);
}

function startWatchdog(): void {
  if (watchdog) return;
  // Own process group: a Ctrl-C to the test's group must not take the watchdog with it before it has cleaned up.
  watchdog = spawn(process.execPath, [fileURLToPath(new URL('./watchdog.js', import.meta.url))], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  watchdog.stdin!.on('error', () => undefined);
  // Neither the process nor the pipe may keep a finished test file alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
}

function runCleanups(): void {
  for (const [key, cleanup] of [...cleanups]) {
    cleanups.delete(key);
    try {
      cleanup();
    } catch {
      /* best effort: the others must still run */
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      runCleanups();
      process.removeListener(signal, onSignal);
      // Then die of the signal as if nothing had been listening, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function register(kind: 'pid' | 'pg', value: string | number, cleanup: () => void): Registration {
  install();
  startWatchdog();
  const key = Symbol(`${kind} ${value}`);
  cleanups.set(key, cleanup);
  tell(`+${kind} ${value}`);
  return {
    release() {
      if (!cleanups.delete(key)) return;
      tell(`-${kind} ${value}`);
    },
  };
}

/** A child process (redis-server, a gateway) to SIGKILL if this process ends while it runs. */
export function registerProcess(proc: ChildProcess): Registration {
  if (proc.pid === undefined) return { release: () => undefined };
  const registration = register('pid', proc.pid, () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  proc.once('exit', () => registration.release());
  return registration;
}

/** A PostgreSQL data directory whose server to stop (synchronously: `stop`) if this process ends first. */
export function registerPostgres(dataDir: string, stop: () => void): Registration {
  return register('pg', dataDir, stop);
}

/** How many servers are listed (for tests of the helpers). */
export function registeredCount(): number {
  return cleanups.size;
}
