/**
 * What backends publish (PROTOCOL.md family H, INTERFACES.md): POST
 * /api/publish with idempotency keys, and signed webhooks. The module
 * validates, deduplicates and counts; a `MessageSender` from the socket
 * layer does the sending.
 */
import type { Clock } from '../../core/clock.ts';
import type { Queryable } from '../../storage/index.ts';
import { IdempotencyRepository } from './idempotency.repository.ts';
import { PublishService, type MessageSender } from './publish.service.ts';
import { WebhookEventsRepository } from './webhook-events.repository.ts';

export { PublishService, IDEMPOTENCY_TTL_MS, WEBHOOK_ID_TTL_MS, type MessageSender, type WebhookResult } from './publish.service.ts';
export type { ResolvedMessage } from './publish-messages.ts';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER, SIGNATURE_TOLERANCE_S } from './webhook-signature.ts';

export interface PublishModuleDeps {
  db: Queryable;
  sender: MessageSender;
  clock: Clock;
  webhookSecrets: Readonly<Record<string, string>>;
}

export function createPublishModule(deps: PublishModuleDeps): PublishService {
  return new PublishService({
    keys: new IdempotencyRepository(deps.db), webhookEvents: new WebhookEventsRepository(deps.db), sender: deps.sender, clock: deps.clock, webhookSecrets: deps.webhookSecrets,
  });
}
