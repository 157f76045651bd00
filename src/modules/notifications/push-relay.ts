import type { Counter } from 'prom-client';
import { toIso, type Clock  } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { notificationPayload } from './notification-payloads.ts';
import { isExpired } from './notification-types.ts';
import type { ClaimedPush, FinalPushStatus, PushKey, PushRepository, PushResult } from './push.repository.ts';
import { PUSH_HEADERS, signPush } from './push-signature.ts';
import { createPushPost, type PushPost } from './push-transport.ts';

export interface PushSettings {
  readonly url: string;
  readonly secret: string;
  /** Attempts per notification and user, the first included. */
  readonly maxAttempts: number;
  /** Delay before attempt n+1: min(retryMaxMs, retryBaseMs × 2^(n-1)) × a random factor in [0.5, 1]. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly timeoutMs: number;
  /** Calls in flight per node. */
  readonly concurrency: number;
  /** How often each node looks for due rows (retries, claims of dead nodes); 0 = only when told (tests). */
  readonly sweepIntervalMs: number;
}

export interface PushRelayDeps {
  repo: PushRepository;
  /** Cluster-wide: a user with a live socket on any node gets no push. */
  onlineAmong(userIds: readonly string[]): Promise<ReadonlySet<string>>;
  settings: PushSettings;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  random?: () => number;
  /** How a call is made (default: node:http(s) with kept-alive connections to `settings.url`). */
  post?: PushPost;
}

const PRUNE_EVERY_MS = 60_000;
const KEEP_FINISHED_MS = 24 * 3600_000;
const keyOf = (c: ClaimedPush): PushKey => ({ notificationId: c.notification.id, userId: c.userId, attempts: c.attempts });
/** 4xx answers that retrying cannot fix; 408, 425 and 429 are worth another try. */
const permanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;

/**
 * Sends notifications to PUSH_WEBHOOK_URL for recipients with no live socket
 * anywhere in the cluster. Work is rows (push_deliveries), claimed by any
 * node with a conditional update, so two nodes never send the same row at
 * once and a node dying mid-call leaves a claim that another node retakes
 * when its lease ends: delivery is at least once, and the relay dedupes on
 * `idempotency-key`. Never blocks a request: `kick()` returns at once.
 */
export class PushRelay {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPrune = 0;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly attemptsCounter: Counter;
  private readonly outcomes: Counter;
  private readonly post: PushPost;
  private readonly closeTransport: () => void;

  constructor(private readonly d: PushRelayDeps) {
    this.batch = Math.min(500, d.settings.concurrency * 4);
    // Long enough for a whole claimed batch to run into its timeouts.
    this.leaseMs = Math.ceil(this.batch / d.settings.concurrency) * d.settings.timeoutMs + 10_000;
    this.attemptsCounter = d.metrics.counter('livegate_push_attempts_total', 'Push webhook calls by result (ok, http_error, network_error, timeout, rejected)', ['result']);
    const transport = d.post ? { post: d.post, close: () => undefined } : createPushPost(d.settings.url, { timeoutMs: d.settings.timeoutMs, concurrency: d.settings.concurrency });
    this.post = transport.post;
    this.closeTransport = transport.close;
    this.outcomes = d.metrics.counter('livegate_push_deliveries_total', 'Push deliveries finished, by outcome (sent, failed, skipped_online, expired)', ['outcome']);
  }

  start(): void {
    if (this.d.settings.sweepIntervalMs > 0) this.timer = setInterval(() => this.kick(), this.d.settings.sweepIntervalMs).unref();
  }

  /** Looks for due rows in the background. */
  kick(): void {
    this.drain().catch((err: unknown) => this.d.log.warn({ err }, 'push sweep failed'));
  }

  /** Sends everything due now; resolves when done (tests drive retries with a manual clock). */
  sweep(): Promise<void> {
    return this.drain();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    this.closeTransport();
  }

  private drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.round()) === this.batch);
        } while (this.again && !this.stopped);
        await this.prune();
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * One claim of up to `batch` due rows, their calls, and one statement that
   * records every result (per-row writes dominated the round on PGlite).
   * Returns how many were claimed.
   */
  private async round(): Promise<number> {
    const { repo, clock } = this.d;
    const now = clock.now();
    const claimed = await repo.claimDue(toIso(now), toIso(now + this.leaseMs), this.batch);
    if (claimed.length === 0) return 0;
    const live = claimed.filter((c) => !isExpired(c.notification, now));
    const online = await this.onlineAmong(live.map((c) => c.userId));
    const results: PushResult[] = [];
    for (const c of claimed) {
      if (isExpired(c.notification, now)) results.push(this.outcome(c, 'expired', 'expired'));
      else if (online.has(c.userId)) results.push(this.outcome(c, 'skipped', 'skipped_online'));
    }
    const toSend = live.filter((c) => !online.has(c.userId));
    await forEachLimit(toSend, this.d.settings.concurrency, async (c) => void results.push(await this.attempt(c)));
    await repo.record(results, toIso(clock.now()));
    return claimed.length;
  }

  private async onlineAmong(userIds: string[]): Promise<ReadonlySet<string>> {
    // A registry error counts as offline: a duplicate push beats a missed one.
    return this.d.onlineAmong(userIds).catch(() => new Set<string>());
  }

  private outcome(c: ClaimedPush, status: FinalPushStatus, outcome: string, error: string | null = null): PushResult {
    this.outcomes.inc({ outcome });
    return { key: keyOf(c), status, error };
  }

  /** One signed call; never throws. */
  private async attempt(c: ClaimedPush): Promise<PushResult> {
    const { settings, clock } = this.d;
    const timestamp = clock.now();
    const body = JSON.stringify({ id: c.notification.id, userId: c.userId, attempt: c.attempts, timestamp, notification: notificationPayload(c.notification) });
    let result: 'ok' | 'http_error' | 'network_error' | 'timeout' | 'rejected';
    let detail: string;
    try {
      const status = await this.post(body, {
        'content-type': 'application/json',
        'user-agent': 'livegate-push/1',
        [PUSH_HEADERS.timestamp]: String(timestamp),
        [PUSH_HEADERS.signature]: signPush(settings.secret, timestamp, body),
        [PUSH_HEADERS.idempotencyKey]: `${c.notification.id}:${c.userId}`,
      });
      // 409: the relay already has this idempotency key, i.e. an earlier attempt arrived.
      result = (status >= 200 && status < 300) || status === 409 ? 'ok' : permanent(status) ? 'rejected' : 'http_error';
      detail = `HTTP ${status}`;
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      result = timedOut ? 'timeout' : 'network_error';
      detail = timedOut ? `timeout after ${settings.timeoutMs} ms` : `network: ${err instanceof Error ? err.message.slice(0, 200) : 'error'}`;
    }
    this.attemptsCounter.inc({ result });
    if (result === 'ok') return this.outcome(c, 'sent', 'sent');
    if (result === 'rejected' || c.attempts >= settings.maxAttempts) {
      this.d.log.warn({ notificationId: c.notification.id, userId: c.userId, attempts: c.attempts, detail }, 'push delivery failed');
      return this.outcome(c, 'failed', 'failed', detail);
    }
    const delay = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** (c.attempts - 1)) * (0.5 + (this.d.random ?? Math.random)() / 2);
    return { key: keyOf(c), status: 'pending', nextAt: toIso(clock.now() + Math.round(delay)), error: detail };
  }

  private async prune(): Promise<void> {
    const now = this.d.clock.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.d.repo.prune(toIso(now - KEEP_FINISHED_MS), 1000);
  }
}


async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
