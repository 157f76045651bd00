import type { PresenceService } from '../../modules/presence/index.ts';
import { contactsParams, contactsView, putContactsBody } from '../../protocol/families/presence.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody };

/** PUT /api/users/:id/contacts (admin or service): whose presence the user sees, and who sees theirs. */
export function registerContactsRoutes(app: HttpApp, deps: { presence: PresenceService; guard: ReturnType<typeof requireRole> }): void {
  app.put(
    '/api/users/:id/contacts',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['presence'],
        summary: "Replace a user's contacts (symmetric: each contact gets the user too; a dropped contact loses them)",
        params: contactsParams,
        body: putContactsBody,
        response: { 200: contactsView, ...errors },
      },
    },
    async (req) => deps.presence.setContacts(req.params.id, req.body.contactIds),
  );
}
