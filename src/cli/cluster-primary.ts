import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { setupPrimary as setupClusterAdapterPrimary } from '@socket.io/cluster-adapter';
import { setupMaster } from '@socket.io/sticky';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';

/**
 * `livegate start --workers N`: the primary owns the port and hands each
 * connection to a worker, keeping a long-polling session on the worker that
 * created it (@socket.io/sticky routes by `sid`). Without Redis the workers
 * share rooms through the cluster adapter (IPC); with REDIS_URL they use the
 * Redis adapter like separate nodes. A worker that dies is replaced.
 */
export function startPrimary(config: Config, workers: number, log: Logger, onListening: () => Promise<void>): Promise<number> {
  const httpServer = createServer();
  setupMaster(httpServer, { loadBalancingMethod: 'least-connection' });
  if (!config.redisUrl) setupClusterAdapterPrimary();
  // Buffers survive the IPC hop as Buffers, as the cluster adapter needs.
  cluster.setupPrimary({ serialization: 'advanced' });

  let stopping = false;
  const recentDeaths: number[] = [];
  // Workers get the resolved secret, so a generated development secret is shared.
  const fork = (): Worker => cluster.fork({ JWT_SECRET: config.auth.jwtSecret ?? '' });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    const now = Date.now();
    recentDeaths.push(now);
    while (recentDeaths.length && recentDeaths[0]! < now - 60_000) recentDeaths.shift();
    log.error({ pid: worker.process.pid, code, signal }, 'worker died; starting a replacement');
    // A crash loop backs off instead of forking as fast as the workers die.
    setTimeout(fork, recentDeaths.length > 5 ? 5000 : 0).unref();
  });
  // Listen once every first worker is ready, so no request waits on a worker still starting.
  const ready = Promise.all(
    Array.from({ length: workers }, () => new Promise<void>((resolve) => {
      const worker = fork();
      const onMessage = (m: unknown) => {
        if ((m as { livegate?: string } | null)?.livegate === 'ready') {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('exit', () => resolve());
    })),
  );

  return new Promise<number>((resolve, reject) => {
    httpServer.once('error', reject);
    void ready.then(() => httpServer.listen(config.http.port, config.http.host, () => {
      log.info({ port: config.http.port, workers }, `Livegate primary listening with ${workers} workers`);
      void onListening();
    }));
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping workers');
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
      let left = alive.length;
      // Connections the primary still holds (request bodies it relays) end with the workers.
      const done = () => {
        httpServer.close(() => resolve(0));
        httpServer.closeAllConnections();
      };
      if (left === 0) return done();
      for (const w of alive) {
        w.once('exit', () => --left === 0 && done());
        w.process.kill(signal);
      }
      setTimeout(() => resolve(1), config.shutdownDrainMs + 5000).unref();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
