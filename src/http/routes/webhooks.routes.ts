import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SIGNATURE_HEADER, type PublishService } from '../../modules/publish/index.ts';
import { webhookResult } from '../../protocol/index.ts';
import { errorBody } from '../../protocol/http.ts';
import type { HttpApp } from '../server.ts';

/** Webhook bodies are single events; anything bigger is refused before it is read whole. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;
const params = z.object({ source: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a source name such as tickets') });

/**
 * POST /webhooks/:source: public, but signed. The signature covers the exact
 * bytes sent, so this route (in its own scope) keeps the JSON body as a Buffer
 * and the module parses it after verifying.
 */
export function registerWebhookRoutes(app: HttpApp, deps: { publish: PublishService }): void {
  void app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/:source', {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'A signed event from a backend (`Livegate-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with WEBHOOK_SECRET_<SOURCE>); body `{ id, type, data }` with seed 004\'s types. A replayed `id` answers `{ duplicate: true }` and is not broadcast again',
        security: [],
        params,
        response: { 200: webhookResult, 400: errorBody, 401: errorBody, 404: errorBody, 413: errorBody },
      },
    }, async (req) => {
      // `tickets` and `TICKETS` name WEBHOOK_SECRET_TICKETS; `-` stands for `_` in URLs.
      const source = req.params.source.toLowerCase().replace(/-/g, '_');
      const signature = req.headers[SIGNATURE_HEADER];
      return deps.publish.receiveWebhook(source, req.body as Buffer, typeof signature === 'string' ? signature : undefined);
    });
  });
}
