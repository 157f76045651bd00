import { registerPublishRoutes } from '../http/routes/publish.routes.ts';
import { registerWebhookRoutes } from '../http/routes/webhooks.routes.ts';
import { createPublishModule, type PublishService } from '../modules/publish/index.ts';
import { createSocketSender } from '../realtime/live-events/publisher.ts';
import type { FamilyContext } from './context.ts';

/** Old idempotency keys and webhook ids are dropped this often (one indexed DELETE each). */
const PURGE_INTERVAL_MS = 3600_000;

/**
 * What backends publish: POST /api/publish (staff) and signed webhooks
 * (public), both sent through the Socket.IO adapter to every node.
 */
export function attachPublish(ctx: FamilyContext): PublishService {
  const sender = createSocketSender({ io: ctx.io, delivery: ctx.delivery, registry: ctx.registry, metrics: ctx.metrics, crossNode: ctx.crossNode });
  const publish = createPublishModule({ db: ctx.db, sender, clock: ctx.clock, webhookSecrets: ctx.config.webhooks.secrets });
  registerPublishRoutes(ctx.http, { publish, guard: ctx.guards.staff });
  registerWebhookRoutes(ctx.http, { publish });
  let purge: NodeJS.Timeout | undefined;
  ctx.lifecycle.add({
    name: 'publish-purge',
    start: () => {
      const run = () => void publish.purge().catch((err: unknown) => ctx.log.warn({ err }, 'publish purge failed'));
      run();
      purge = setInterval(run, PURGE_INTERVAL_MS).unref();
    },
    stop: () => clearInterval(purge),
  });
  return publish;
}
