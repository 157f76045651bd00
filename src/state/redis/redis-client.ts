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
  /** The first connection gives up (RedisUnreachableError) after this long; once connected, reconnects never do. */
  startupTimeoutMs?: number;
}

/** Redis could not be reached at start-up; `cause` is the connection error. */
export class RedisUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`cannot reach Redis at ${redactUrl(url)}: ${(cause as Error | null)?.message ?? String(cause)}`, { cause });
    this.name = 'RedisUnreachableError';
  }
}

/**
 * Connects once, PINGs and disconnects, within `timeoutMs`: the start-up
 * check that reports an unreachable REDIS_URL (RedisUnreachableError) at
 * once, before anything else is opened.
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
    throw new RedisUnreachableError(url, err);
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
 * `startupTimeoutMs` (10 s), then rejects with RedisUnreachableError: a gateway
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
      reconnectStrategy: (retries, cause) => (!connectedOnce && Date.now() - startedAt >= startupTimeoutMs ? new RedisUnreachableError(url, cause) : reconnectDelay(retries, opts.maxBackoffMs)),
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
    throw original instanceof RedisUnreachableError ? original : err;
  });
  boundClose(client, (opts.maxBackoffMs ?? 5_000) + 1_000);
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

/** How long close() waits for the answers to commands already sent before it drops them. */
const CLOSE_GRACE_MS = 2_000;

/**
 * node-redis's close() waits for the answer to every queued command but stops
 * reconnecting, and pub/sub commands and MULTI are queued even with the
 * offline queue disabled. A node shut down while its client was reconnecting
 * (just after a Redis outage: the adapter's SUNSUBSCRIBE at io.close()) so
 * waited for ever. Closing therefore first lets a reconnect in progress end
 * (ready: the queue is sent; failed: the queue is rejected), then waits for
 * answers only boundedly. Not destroy() at once: the adapter does not handle
 * the rejection of its SUNSUBSCRIBE, which would crash the process.
 */
function boundClose(client: RedisClient, reconnectWaitMs: number): void {
  const close = client.close.bind(client);
  const settled = (ms: number) => new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done).once('error', done);
  });
  client.close = async () => {
    if (client.isOpen && !client.isReady) await settled(reconnectWaitMs);
    const closed = close();
    const outcome = await Promise.race([closed.then(() => 'closed' as const), settled(CLOSE_GRACE_MS).then(() => 'late' as const)]);
    if (outcome === 'late' && !client.isReady) {
      try {
        client.destroy();
      } catch {
        /* close() has begun, so destroy() throws once it has rejected the queue; the socket ends by its own timeout */
      }
    }
  };
}
