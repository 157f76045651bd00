import cluster from 'node:cluster';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setupWorker } from '@socket.io/sticky';
import type { App } from '../app.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import { findUnknownEnv, type Config } from '../config/index.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import { UsageError, type ParsedValues } from './args.ts';
import { startPrimary } from './cluster-primary.ts';
import { printDevBanner } from './dev-banner.ts';
import { explainStartupFailure, portTaken, preflight } from './preflight.ts';

/**
 * The process entry: the only place that listens and handles signals.
 * `--workers N` (N > 1) runs a primary that owns the port and N workers.
 */
export async function start(baseConfig: Config, flags: ParsedValues = {}): Promise<number> {
  try {
    return await startOrFail(baseConfig, flags);
  } catch (err) {
    throw explainStartupFailure(err, baseConfig) ?? err;
  }
}

async function startOrFail(baseConfig: Config, flags: ParsedValues): Promise<number> {
  const workers = flags.workers === undefined ? 1 : Number(flags.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers takes a whole number from 1 to 64');
  if (cluster.isWorker) return startWorker(baseConfig);
  const log = createLogger(baseConfig.log.level, baseConfig.nodeId);
  survivePromiseLeaks(log);
  // A misspelt variable is otherwise ignored in silence and its default used.
  for (const { name, known } of findUnknownEnv()) log.warn({ variable: name, known }, `unknown environment variable ${name}: did you mean ${known}?`);
  await preflight(baseConfig);
  const { config, generated, path } = await resolveDevSecret(baseConfig);
  if (workers > 1) {
    if (!config.storage.databaseUrl) throw new UsageError('--workers needs DATABASE_URL: PGlite is one process\'s embedded database and cannot be shared by workers');
    return startPrimary(config, workers, log, () => generated ? printDevBanner(config, path, config.http.port) : Promise.resolve());
  }
  if (config.storage.dataDir === 'memory' && !config.storage.databaseUrl) {
    log.warn('DATA_DIR=memory: PGlite keeps everything in memory — ALL DATA IS LOST ON RESTART');
  }
  const app = await (await import('../app.ts')).createApp(config, { log });
  // The port was free at the preflight; another process may have taken it since.
  const address = await app.listen().catch((err: unknown) => {
    throw portTaken(config.http.port, config.http.host, err) ?? err;
  });
  releaseStartupGarbage();
  log.info({ port: address.port, storage: app.db.kind, redis: Boolean(config.redisUrl) }, `Livegate listening on port ${address.port}`);
  if (generated) await printDevBanner(config, path, address.port);
  return untilSignal(app, config, log);
}

/** A cluster worker: the primary hands it connections; it never listens itself. */
async function startWorker(config: Config): Promise<number> {
  // Connections can arrive before the app is built (a replacement worker is
  // picked at once by the primary's balancer): hold them until it is.
  const held: Array<[unknown, unknown]> = [];
  const hold = (message: unknown, handle: unknown) => void held.push([message, handle]);
  process.on('message', hold);
  const nodeId = `${config.nodeId}-w${cluster.worker?.id ?? 0}`;
  const log = createLogger(config.log.level, nodeId);
  survivePromiseLeaks(log);
  const app = await (await import('../app.ts')).createApp({ ...config, nodeId }, { log, clusterWorker: true });
  setupWorker(app.io as unknown as Parameters<typeof setupWorker>[0]);
  process.off('message', hold);
  for (const [message, handle] of held) process.emit('message', message, handle as never);
  releaseStartupGarbage();
  process.send?.({ livegate: 'ready' });
  const code = await untilSignal(app, config, log);
  // The IPC channel to the primary would keep the drained worker alive.
  process.disconnect?.();
  return code;
}

function untilSignal(app: App, config: Config, log: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: draining connections');
      const force = setTimeout(() => {
        log.error('drain deadline passed; exiting');
        resolve(1);
      // Closing after the drain (sockets, HTTP, flushing writers, the database thread) normally takes well
      // under a second; on a starved machine it has taken over 5 s, so the margin before giving up is wide.
      }, config.shutdownDrainMs + 15_000).unref();
      app.shutdown().then(
        () => {
          clearTimeout(force);
          log.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

/**
 * PGlite's start-up (its initdb WebAssembly module and file-system bundle)
 * leaves ~300 MB of buffers that V8 would otherwise keep until memory
 * pressure: one full collection right after start returns them to the OS.
 */
function releaseStartupGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Some library calls are fire-and-forget promises (the Redis adapters'
 * ephemeral PUBLISH, for one): when Redis refuses them (down, or the bounded
 * command queue is full) the rejection is unhandled, which would end the
 * process and every connection on it. Log them (sampled) and keep serving.
 */
function survivePromiseLeaks(log: Logger): void {
  let count = 0;
  process.on('unhandledRejection', (reason) => {
    if (count++ % 1000 === 0) log.error({ err: reason, count }, 'unhandled promise rejection; still serving');
  });
}
