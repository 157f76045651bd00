import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './ports.ts';
import { registerProcess } from './server-registry.ts';

export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** The running redis-server's pid (undefined once stopped). */
  pid(): number | undefined;
  /** Kills the server (SIGKILL: nothing is saved anyway) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Starts a fresh, empty server on the same port (stopping the old one first if it still runs). */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing answers, like a hung or partitioned Redis. */
  pause(): Promise<void>;
  /** SIGCONT after `pause()`. */
  resume(): Promise<void>;
}

/** `redis-server` on PATH, else undefined. */
export function findRedisServer(): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server')).find((file) => existsSync(file));
}

function missingBinary(): null {
  const message = 'redis-server not found on PATH';
  if (process.env.CI === 'true') throw new Error(`${message}. CI must run the Redis suites: install redis-server.`);
  process.stderr.write(`\n${'!'.repeat(78)}\n!!! ${message}.\n!!! SKIPPING every Redis test. Install redis-server to run them.\n${'!'.repeat(78)}\n\n`);
  return null;
}

/** True once something on `port` answers PING with PONG. */
function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

const exited = (proc: ChildProcess) =>
  proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => proc.once('exit', () => r()));

/**
 * Starts a throwaway `redis-server` on a free 127.0.0.1 port, persistence off.
 * Resolves null (after a loud warning) when redis-server is not installed so
 * callers can skip; under CI=true that is an error instead. The server is
 * killed however the test process ends (SIGKILL included), even if `stop()`
 * is never called.
 */
export async function startRedis(): Promise<RedisServer | null> {
  const bin = findRedisServer();
  if (!bin) return missingBinary();
  const dir = await mkdtemp(join(tmpdir(), 'livegate-redis-'));
  const logFile = join(dir, 'redis.log');
  let proc: ChildProcess | undefined;
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);

  /** One attempt on `port`: resolves true once it answers PING, false if redis-server exits first (port taken). */
  const launch = async (port: number): Promise<boolean> => {
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', logFile, '--loglevel', 'warning'], {
      stdio: 'ignore',
    });
    proc = child;
    // Killed however the test process ends, even if stop() is never called (see server-registry.ts).
    registerProcess(child);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) return false;
      if (await ping(port)) {
        // Unreferenced so a test file that forgets stop() still exits; the server registry kills it.
        child.unref();
        return true;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    return false;
  };

  const failure = (what: string) => {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '(no server log)';
    return new Error(`${what}:\n${log}`);
  };

  const kill = async () => {
    const child = proc;
    if (!child) return;
    child.ref();
    child.kill('SIGKILL');
    await exited(child);
    child.unref();
  };

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    if (await launch(port)) break;
    if (attempt >= 3) {
      await kill();
      removeDir();
      throw failure(`redis-server did not start after ${attempt} attempts`);
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => (proc && proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined),
    stop: kill,
    async restart() {
      await kill();
      // The port was ours a moment ago; retry briefly in case the kernel has not released it yet.
      for (let attempt = 1; !(await launch(port)); attempt++) {
        if (attempt >= 5) throw failure(`redis-server did not restart on port ${port}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async pause() {
      proc?.kill('SIGSTOP');
    },
    async resume() {
      proc?.kill('SIGCONT');
    },
  };
}
