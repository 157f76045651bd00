import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface SpawnedServer { proc: ChildProcess; url: string; port: number; stop(): Promise<void> }

const CLI = fileURLToPath(new URL('../../bin/livegate.js', import.meta.url));

/** Starts `livegate start` in its own process (so its RSS and CPU are its own) and waits for /healthz. */
export async function spawnGateway(env: Record<string, string> = {}): Promise<SpawnedServer> {
  const port = await freePort();
  const proc = spawn(process.execPath, [CLI, 'start'], {
    env: { ...process.env, NODE_ENV: 'test', PORT: String(port), HOST: '0.0.0.0', DATA_DIR: 'memory', LOG_LEVEL: 'warn', HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', RATE_LIMIT_DEFAULT: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Never outlive the script, even when it dies on an error.
  process.once('exit', () => proc.kill('SIGKILL'));
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a loaded 2-core machine a start (PGlite init, migrations) can take over a minute.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`gateway exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url + '/healthz')).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('gateway did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc, url, port,
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    }),
  };
}
