import { z } from 'zod';
import type { UsersService } from '../../modules/users/index.ts';
import { errorBody, patchUserBody, upsertUserBody, userProfile } from '../../protocol/http.ts';
import { id } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/** POST/GET/PATCH /api/users. */
export function registerUsersRoutes(app: HttpApp, deps: { users: UsersService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/users',
    { preHandler: deps.guard, schema: { tags: ['users'], summary: 'Create or update a profile', body: upsertUserBody, response: { 200: userProfile, ...errors } } },
    async (req) => {
      const { id: userId, ...profile } = req.body;
      return deps.users.upsert(userId, profile);
    },
  );

  app.get(
    '/api/users/:id',
    { preHandler: deps.guard, schema: { tags: ['users'], summary: 'Read a profile', params: z.object({ id }), response: { 200: userProfile, ...errors } } },
    async (req) => deps.users.require(req.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['users'],
        summary: 'Change a profile or status; a status change emits `user_status_changed`, a suspension disconnects the user',
        params: z.object({ id }),
        body: patchUserBody,
        response: { 200: userProfile, ...errors },
      },
    },
    async (req) => deps.users.update(req.params.id, req.body),
  );
}
