import { z } from 'zod';
import { messagePayload, roomView, type MessagesService, type RoomsService } from '../../modules/chat/index.ts';
import { createRoomBody, historyPage, historyQuery, membersBody, roomBody } from '../../protocol/families/chat.ts';
import { errorBody } from '../../protocol/http.ts';
import { id } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };

/** /api/chat (admin or service): rooms, members, history. */
export function registerChatRoutes(app: HttpApp, deps: { rooms: RoomsService; messages: MessagesService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/chat/rooms',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['chat'], summary: 'Create a group or direct room; a direct room of the same two users is returned (200), not made again',
        body: createRoomBody, response: { 201: roomBody, 200: roomBody, ...errors },
      },
    },
    async (req, reply) => {
      const { room, created } = await deps.rooms.create(req.body);
      reply.code(created ? 201 : 200);
      return { room: roomView(room) };
    },
  );

  app.post(
    '/api/chat/rooms/:id/members',
    { preHandler: deps.guard, schema: { tags: ['chat'], summary: 'Add members to a group room', params: z.object({ id }), body: membersBody, response: { 200: roomBody, ...errors } } },
    async (req) => ({ room: roomView(await deps.rooms.addMembers(req.params.id, req.body.userIds)) }),
  );

  app.delete(
    '/api/chat/rooms/:id/members/:userId',
    {
      preHandler: deps.guard,
      schema: { tags: ['chat'], summary: 'Remove a member of a group room; its sockets leave the room at once on every node', params: z.object({ id, userId: id }), response: { 200: roomBody, ...errors } },
    },
    async (req) => ({ room: roomView(await deps.rooms.removeMember(req.params.id, req.params.userId)) }),
  );

  app.get(
    '/api/chat/rooms/:id/messages',
    {
      preHandler: deps.guard,
      schema: { tags: ['chat'], summary: 'History, newest first; pass `nextCursor` as `before` for older messages', params: z.object({ id }), querystring: historyQuery, response: { 200: historyPage, ...errors } },
    },
    async (req) => {
      const page = await deps.messages.history(req.params.id, null, req.query);
      return { messages: page.messages.map(messagePayload), nextCursor: page.nextCursor };
    },
  );
}
