import { createServer } from 'node:net';
import type { Config } from '../config/index.ts';
import { probeRedis, RedisUnreachableError } from '../state/redis/redis-client.ts';
import { DatabaseUnreachableError, DataDirInUseError, probePostgres } from '../storage/index.ts';
import { connectFailureReason, redactUrl, StartupError } from './startup-error.ts';

/** The one-line answer to a port another process holds. */
export function portTaken(port: number, host: string, err: unknown): StartupError | undefined {
  const code = (err as { code?: string } | null)?.code;
  if (code === 'EADDRINUSE') return new StartupError(`port ${port} on ${host} is already in use (EADDRINUSE); set PORT or stop the other process`, { cause: err });
  if (code === 'EACCES') return new StartupError(`not allowed to listen on port ${port} on ${host} (EACCES); set PORT to 1024 or above`, { cause: err });
  if (code === 'EADDRNOTAVAIL') return new StartupError(`HOST ${host} is not an address of this machine (EADDRNOTAVAIL); set HOST`, { cause: err });
  return undefined;
}

/** The storage and Redis layers' start-up failures, worded for the terminal (passwords masked). */
export function explainStartupFailure(err: unknown, config: Config): StartupError | undefined {
  if (err instanceof StartupError) return err;
  if (err instanceof RedisUnreachableError) {
    return new StartupError(`cannot reach Redis at ${redactUrl(err.url)} (${connectFailureReason(err.cause)}); check REDIS_URL and that Redis is running`, { cause: err });
  }
  if (err instanceof DatabaseUnreachableError && config.storage.databaseUrl) {
    return new StartupError(`cannot reach PostgreSQL at ${redactUrl(config.storage.databaseUrl)} (${connectFailureReason(err.cause)}); check DATABASE_URL and that PostgreSQL is running`, { cause: err });
  }
  if (err instanceof DataDirInUseError) {
    return new StartupError(`${err.message}; stop it, or give this one its own DATA_DIR (or DATABASE_URL)`, { cause: err });
  }
  return undefined;
}

/** Binds a throwaway server to PORT/HOST and closes it: the real listen comes only after the database is open. */
function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(portTaken(port, host, err) ?? err));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * What `start` checks before it opens anything (the embedded database, its
 * DATA_DIR lock, Redis clients that would retry): the port is free and the
 * configured Redis and PostgreSQL answer, within a few seconds. Each failure
 * is a StartupError.
 */
export async function preflight(config: Config): Promise<void> {
  await checkPortFree(config.http.port, config.http.host);
  const probes = await Promise.allSettled([
    config.redisUrl ? probeRedis(config.redisUrl) : undefined,
    config.storage.databaseUrl ? probePostgres(config.storage.databaseUrl) : undefined,
  ]);
  const failed = probes.find((p) => p.status === 'rejected');
  if (failed) throw explainStartupFailure(failed.reason, config) ?? failed.reason;
}
