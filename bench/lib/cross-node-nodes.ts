import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './spawn-server.ts';

const LIVEGATE = fileURLToPath(new URL('../../bin/livegate.js', import.meta.url));
const BARE = fileURLToPath(new URL('../baselines/cross-node-bare.ts', import.meta.url));

export type Impl = 'livegate' | 'bare-socketio';
/** `memory`: one node, no Redis (Socket.IO's in-memory adapter). */
export type AdapterName = 'memory' | 'pubsub' | 'streams';

export interface BenchNode { impl: Impl; proc: ChildProcess; pid: number; url: string; stop(): Promise<void> }

export interface NodeOptions {
  impl: Impl;
  adapter: AdapterName;
  redisUrl?: string;
  nodeId: string;
  /** Extra environment (livegate's config variables). */
  env?: Record<string, string>;
  /** Writes a V8 CPU profile here when the node is stopped (SIGTERM, so the profile is flushed). */
  profileDir?: string;
}

/**
 * Starts a gateway node (`livegate start`) or the bare Socket.IO baseline in
 * its own process and waits for `/healthz`. Stopped with SIGTERM (a drained
 * livegate shutdown writes the CPU profile), SIGKILL after 8 s.
 */
export async function startNode(opts: NodeOptions): Promise<BenchNode> {
  const port = await freePort();
  const prof = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const redis = opts.adapter === 'memory' || !opts.redisUrl ? {} : { REDIS_URL: opts.redisUrl, REDIS_ADAPTER: opts.adapter };
  const args = opts.impl === 'livegate' ? [...prof, LIVEGATE, 'start'] : [...prof, '--import', 'tsx', BARE];
  const proc = spawn(process.execPath, args, {
    env: {
      ...process.env,
      NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: 'memory', LOG_LEVEL: 'error', NODE_ID: opts.nodeId,
      HEARTBEAT_INTERVAL_MS: '0', CONNECT_ATTEMPTS_PER_IP_PER_MIN: '0', SHUTDOWN_DRAIN_MS: '0', ...redis, ...opts.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = () => proc.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000; // a loaded 2-core machine can take over a minute to start a node
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${opts.impl} node exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url + '/healthz')).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${opts.impl} node did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    impl: opts.impl, proc, pid: proc.pid!, url,
    stop: () => new Promise<void>((resolve) => {
      process.off('exit', kill);
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const force = setTimeout(kill, 8000);
      proc.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      proc.kill('SIGTERM');
    }),
  };
}
