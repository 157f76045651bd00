import { z } from 'zod';
import { connectionsBody, disconnectBody, errorBody } from '../../protocol/http.ts';
import { text } from '../../protocol/schemas.ts';
import type { ConnectionRegistry } from '../../state/connection-registry.ts';
import { rooms } from '../../protocol/rooms.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

/** Disconnects sockets on every node (the realtime layer's Delivery implements it). */
export interface Disconnector {
  disconnectAll(): void;
  disconnect(target: string): void;
}

/** GET /api/connections and POST /api/connections/disconnect, over the whole cluster. */
export function registerConnectionRoutes(app: HttpApp, deps: { registry: ConnectionRegistry; delivery: Disconnector; guard: ReturnType<typeof requireRole> }): void {
  app.get(
    '/api/connections',
    { preHandler: deps.guard, schema: { tags: ['connections'], summary: 'Open connections on every node', querystring: z.object({ userId: text().max(128).optional() }), response: { 200: connectionsBody, 401: errorBody, 403: errorBody } } },
    async (req) => {
      const connections = req.query.userId ? await deps.registry.listForUser(req.query.userId) : await deps.registry.list();
      return { count: connections.length, connections };
    },
  );

  app.post(
    '/api/connections/disconnect',
    {
      preHandler: deps.guard,
      schema: { tags: ['connections'], summary: 'Disconnect a user, a socket, or everyone', body: disconnectBody, response: { 200: z.object({ disconnected: z.number().int() }), 400: errorBody, 401: errorBody, 403: errorBody } },
    },
    async (req) => {
      const body = req.body;
      if ('all' in body) {
        const count = await deps.registry.count();
        deps.delivery.disconnectAll();
        return { disconnected: count };
      }
      if ('userId' in body) {
        const count = (await deps.registry.listForUser(body.userId)).length;
        deps.delivery.disconnect(rooms.user(body.userId));
        return { disconnected: count };
      }
      if (!(await deps.registry.get(body.socketId))) return { disconnected: 0 };
      deps.delivery.disconnect(body.socketId);
      return { disconnected: 1 };
    },
  );
}
