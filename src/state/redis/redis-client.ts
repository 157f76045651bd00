import { createClient, type RedisClientType } from 'redis';
import { connectFailureReason, redactUrl, StartupError } from '../../config/index.ts';
import type { Logger } from '../../core/logger.ts';

export type RedisClient = RedisClientType;

export interface RedisClientOptions {
  /** `CLIENT SETNAME`, to tell the gateway's connections apart in `CLIENT LIST`. */
  name?: string;
  /** Upper bound of the reconnect backoff. */
  maxBackoffMs?: number;
  /** Commands sent but not yet answered; beyond this, commands fail at once. */
  maxPendingCommands?: number;
  /** The first connection gives up (a StartupError) after this long; once connected, reconnects never do. */
  startupTimeoutMs?: number;
}

/** The one-line start-up error for a Redis that cannot be reached; the password is masked. */
function unreachable(url: string, cause: unknown): StartupError {
  return new StartupError(`cannot reach Redis at ${redactUrl(url)} (${connectFailureReason(cause)}); check REDIS_URL and that Redis is running`, { cause });
}

/**
 * Connects once, PINGs and disconnects, within `timeoutMs`: the start-up
 * check that turns an unreachable REDIS_URL into a StartupError at once,
 * before anything else is opened.
 */
export async function probeRedis(url: string, timeoutMs = 3_000): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  // Connection errors come back through connect(); without a listener the event would crash the process.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
  } catch (err) {
    throw unreachable(url, err);
  } finally {
    clearTimeout(timer);
    // destroy() throws on a client that never opened.
    if (client.isOpen) client.destroy();
  }
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
 * Resolves once connected. While Redis is unreachable at boot it retries for
 * `startupTimeoutMs` (10 s), then rejects with a StartupError: a gateway
 * must not sit silently half-started.
 */
export async function createRedisClient(url: string, log: Logger, opts: RedisClientOptions = {}): Promise<RedisClient> {
  const startedAt = Date.now();
  const startupTimeoutMs = opts.startupTimeoutMs ?? 10_000;
  let connectedOnce = false;
  const client: RedisClient = createClient({
    url,
    name: opts.name ?? 'livegate',
    disableOfflineQueue: true,
    commandsQueueMaxLength: opts.maxPendingCommands ?? 10_000,
    pingInterval: 5_000,
    socket: {
      connectTimeout: 5_000,
      socketTimeout: 15_000,
      // Returning an error ends the retries and rejects connect() with it.
      reconnectStrategy: (retries, cause) => (!connectedOnce && Date.now() - startedAt >= startupTimeoutMs ? unreachable(url, cause) : reconnectDelay(retries, opts.maxBackoffMs)),
    },
  });
  let down = false;
  client.on('error', (err: unknown) => {
    if (down) return log.debug({ err }, 'redis still unreachable');
    down = true;
    log.warn({ err, url: redactUrl(url) }, 'redis connection lost; reconnecting, commands fail fast meanwhile');
  });
  client.on('ready', () => {
    connectedOnce = true;
    if (down) log.info({ url: redactUrl(url) }, 'redis connection restored');
    down = false;
  });
  await client.connect().catch((err: unknown) => {
    // node-redis wraps the strategy's error in a ReconnectStrategyError.
    const original = (err as { originalError?: unknown } | null)?.originalError;
    throw original instanceof StartupError ? original : err;
  });
  return client;
}

/** For health checks: connected and past the handshake, so commands are being sent. */
export function isRedisReady(client: RedisClient): boolean {
  return client.isReady;
}
