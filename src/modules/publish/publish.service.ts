import { createHash } from 'node:crypto';
import { isoNow, type Clock } from '../../core/clock.ts';
import { AppError, validationError } from '../../core/errors.ts';
import { webhookBody, type PublishBody, type PublishResult } from '../../protocol/index.ts';
import type { IdempotencyRepository } from './idempotency.repository.ts';
import { hasNul, resolveBody, resolveMessage, type ResolvedMessage } from './publish-messages.ts';
import { webhookMessage } from './webhook-messages.ts';
import type { WebhookEventsRepository } from './webhook-events.repository.ts';
import { verifyWebhook } from './webhook-signature.ts';

/** Sends resolved messages to sockets and counts them: the socket layer implements it. */
export interface MessageSender {
  send(messages: readonly ResolvedMessage[]): Promise<PublishResult['delivered']>;
}

export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
export const WEBHOOK_ID_TTL_MS = 7 * 24 * 3600_000;
/** How long a retry waits for the first request under its key to finish before answering IDEMPOTENCY_CONFLICT. */
const IN_FLIGHT_WAIT_MS = 5_000;

export interface PublishServiceDeps {
  keys: IdempotencyRepository;
  webhookEvents: WebhookEventsRepository;
  sender: MessageSender;
  clock: Clock;
  /** Secret per webhook source (lower case). */
  webhookSecrets: Readonly<Record<string, string>>;
}

export interface WebhookResult { received: true; duplicate: boolean; recipients: number }

/** What backends publish: POST /api/publish with idempotency keys, and signed webhooks. */
export class PublishService {
  constructor(private readonly deps: PublishServiceDeps) {}

  /**
   * Validates every message first (a bad batch sends nothing), then sends.
   * With `key`, Stripe's semantics: the same key and body answer the first
   * result again without sending; another body is IDEMPOTENCY_CONFLICT.
   */
  async publish(body: PublishBody, opts: { principal: string; key?: string | undefined }): Promise<PublishResult> {
    const messages = resolveBody(body, this.deps.clock.now());
    const { key, principal } = opts;
    if (!key) return { delivered: await this.deps.sender.send(messages) };
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const now = this.deps.clock.now();
    if (await this.deps.keys.claim(principal, key, hash, new Date(now).toISOString(), new Date(now - IDEMPOTENCY_TTL_MS).toISOString())) {
      try {
        const result = { delivered: await this.deps.sender.send(messages) };
        await this.deps.keys.complete(principal, key, result);
        return result;
      } catch (err) {
        await this.deps.keys.release(principal, key).catch(() => undefined);
        throw err;
      }
    }
    return this.replay(principal, key, hash);
  }

  /** The stored answer of the request that holds `key`, waiting a little while it is still in flight. */
  private async replay(principal: string, key: string, hash: string): Promise<PublishResult> {
    const deadline = Date.now() + IN_FLIGHT_WAIT_MS;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const stored = await this.deps.keys.get(principal, key);
      if (stored && stored.bodyHash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with another body');
      if (stored?.response !== undefined) return stored.response as PublishResult;
      if (Date.now() > deadline) throw new AppError('IDEMPOTENCY_CONFLICT', 'A request with this Idempotency-Key is still in progress; retry shortly');
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * A signed webhook: unknown source NOT_FOUND, bad or stale signature
   * INVALID_SIGNATURE, a bad body VALIDATION_ERROR (nothing recorded, so a
   * corrected retry goes through), a replayed id `duplicate: true` without a
   * second broadcast.
   */
  async receiveWebhook(source: string, rawBody: Buffer, signature: string | undefined): Promise<WebhookResult> {
    const secret = Object.hasOwn(this.deps.webhookSecrets, source) ? this.deps.webhookSecrets[source] : undefined;
    if (!secret) throw new AppError('NOT_FOUND', 'Unknown webhook source');
    const now = this.deps.clock.now();
    if (!verifyWebhook(secret, rawBody, signature, Math.floor(now / 1000))) throw new AppError('INVALID_SIGNATURE');
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw validationError('request', [{ path: [], message: 'body is not JSON' }]);
    }
    if (hasNul(json)) throw validationError('request', [{ path: [], message: 'must not contain NUL (U+0000)' }]);
    const parsed = webhookBody.safeParse(json);
    if (!parsed.success) throw validationError('request', parsed.error.issues);
    const message = resolveMessage(webhookMessage(parsed.data), now);
    if (!(await this.deps.webhookEvents.claim(source, parsed.data.id, parsed.data.type, isoNow(this.deps.clock)))) {
      return { received: true, duplicate: true, recipients: 0 };
    }
    const { recipients } = await this.deps.sender.send([message]);
    return { received: true, duplicate: false, recipients };
  }

  /** Drops idempotency keys older than 24 h and webhook ids older than 7 days. */
  async purge(): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.keys.purge(new Date(now - IDEMPOTENCY_TTL_MS).toISOString());
    await this.deps.webhookEvents.purge(new Date(now - WEBHOOK_ID_TTL_MS).toISOString());
  }
}
