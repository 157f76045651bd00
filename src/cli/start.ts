import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createApp } from '../app.ts';
import { signToken } from '../auth/token-signer.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import type { Config } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';

/** The process entry: the only place that listens and handles signals. */
export async function start(baseConfig: Config): Promise<number> {
  const log = createLogger(baseConfig.log.level, baseConfig.nodeId);
  const { config, generated, path } = await resolveDevSecret(baseConfig);
  if (config.storage.dataDir === 'memory' && !config.storage.databaseUrl) {
    log.warn('DATA_DIR=memory: PGlite keeps everything in memory — ALL DATA IS LOST ON RESTART');
  }
  const app = await createApp(config, { log });
  const address = await app.listen();
  releaseStartupGarbage();
  const base = `http://${address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address}:${address.port}`;
  log.info({ port: address.port, storage: app.db.kind, redis: Boolean(config.redisUrl) }, `Livegate listening on ${base}`);

  if (generated) {
    const token = await signToken(config.auth.jwtSecret!, { sub: 'dev-admin', role: 'admin', name: 'Development Admin', ttl: '12h' });
    process.stdout.write(
      [
        '',
        '  ************************************************************************',
        '  * DEVELOPMENT MODE: no JWT_SECRET set, using a generated secret' + (path ? ` (${path})` : ' (in memory)'),
        '  * Set JWT_SECRET (32+ chars) for anything but local development.',
        `  * Socket.IO + HTTP API:  ${base}`,
        `  * API reference:          ${base}/openapi.json`,
        `  * Admin token (12h):      ${token}`,
        `  * More tokens:            npx livegate token --sub ID --role passenger`,
        '  ************************************************************************',
        '',
      ].join('\n') + '\n',
    );
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down: draining connections');
      const force = setTimeout(() => {
        log.error('drain deadline passed; exiting');
        resolve(1);
      }, config.shutdownDrainMs + 5000).unref();
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
