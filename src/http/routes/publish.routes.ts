import { z } from 'zod';
import type { PublishService } from '../../modules/publish/index.ts';
import { publishBody, publishResult } from '../../protocol/index.ts';
import { errorBody } from '../../protocol/http.ts';
import { text } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

/** 1000 messages of a few hundred bytes each, with room to spare; one message's data is capped at 64 KiB. */
const PUBLISH_BODY_LIMIT = 4 * 1024 * 1024;
const headers = z.object({
  'idempotency-key': text().trim().min(1).max(255).optional().describe('same key and body within 24 h: the first answer again, nothing sent; another body: 409 IDEMPOTENCY_CONFLICT'),
});

/** POST /api/publish (admin or service). */
export function registerPublishRoutes(app: HttpApp, deps: { publish: PublishService; guard: ReturnType<typeof requireRole> }): void {
  app.post('/api/publish', {
    preHandler: deps.guard,
    bodyLimit: PUBLISH_BODY_LIMIT,
    schema: {
      tags: ['publish'],
      summary: 'Send events to users, an event room, a room of the room table, or everyone; one message or `{ messages: [...] }` (at most 1000). Catalogue events are validated against their schema; other names must start with `x-`',
      headers,
      body: publishBody,
      response: { 200: publishResult, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody, 413: errorBody },
    },
  }, async (req) => deps.publish.publish(req.body, { principal: req.principal!.sub, key: req.headers['idempotency-key'] }));
}
