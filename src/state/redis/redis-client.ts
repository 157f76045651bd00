import { createClient, type RedisClientType } from 'redis';
import type { Logger } from '../../core/logger.ts';

export type RedisClient = RedisClientType;

export interface RedisClientOptions {
  /** `CLIENT SETNAME`, to tell the gateway's connections apart in `CLIENT LIST`. */
  name?: string;
  /** Upper bound of the reconnect backoff. */
  maxBackoffMs?: number;
  /** Commands sent but not yet answered; beyond this, commands fail at once. */
  maxPendingCommands?: number;
}

/** 50 ms doubling up to `maxMs`, with jitter so a fleet does not reconnect in lockstep. Never gives up. */
export function reconnectDelay(retries: number, maxMs = 5_000): number {
  const ceiling = Math.min(maxMs, 50 * 2 ** Math.min(retries, 16));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * A connected node-redis client tuned for a gateway, where a slow answer is
 * worse than a refusal: callers (rate limits, registry) have a fallback.
 *
 * - `disableOfflineQueue`: while disconnected every command is rejected at
 *   once (ClientOfflineError) instead of queued. A queue would hold every
 *   event of every socket for the whole outage, replay stale presence writes
 *   afterwards, and make each caller wait; refusing lets the rate limiter use
 *   its in-memory insurance and lets the registry heal on its next heartbeat.
 * - `commandsQueueMaxLength` bounds what a connected-but-hung Redis can pile
 *   up; `pingInterval` + `socketTimeout` then drop such a connection (no
 *   traffic for `socketTimeout`) so the reconnect loop takes over.
 * - Reconnects forever with capped exponential backoff; `error` is logged
 *   once per outage (then at debug) and never crashes the process.
 *
 * Resolves once connected; while Redis is unreachable at boot it keeps retrying.
 */
export async function createRedisClient(url: string, log: Logger, opts: RedisClientOptions = {}): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    name: opts.name ?? 'livegate',
    disableOfflineQueue: true,
    commandsQueueMaxLength: opts.maxPendingCommands ?? 10_000,
    pingInterval: 5_000,
    socket: {
      connectTimeout: 5_000,
      socketTimeout: 15_000,
      reconnectStrategy: (retries) => reconnectDelay(retries, opts.maxBackoffMs),
    },
  });
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return log.debug({ err }, 'redis still unreachable');
    down = true;
    log.warn({ err, url: redactUrl(url) }, 'redis connection lost; reconnecting, commands fail fast meanwhile');
  });
  client.on('ready', () => {
    if (down) log.info({ url: redactUrl(url) }, 'redis connection restored');
    down = false;
  });
  await client.connect();
  return client;
}

/** For health checks: connected and past the handshake, so commands are being sent. */
export function isRedisReady(client: RedisClient): boolean {
  return client.isReady;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable url)';
  }
}
