import { z } from 'zod';
import type { GeofencesService } from '../../modules/fleet/index.ts';
import { createGeofenceBody, geofenceView } from '../../protocol/families/fleet.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };

/** Geofences: circles or GeoJSON polygons (`[[lng, lat], …]`), admin or service. */
export function registerGeofencesRoutes(app: HttpApp, deps: { geofences: GeofencesService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/geofences',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['geofences'],
        summary: 'Create `{ name, circle: { center: { latitude, longitude }, radiusM } }` or `{ name, polygon: [[lng, lat], …] }`; crossings emit `geofence:enter` / `geofence:exit` to `fleet` and `admins`',
        body: createGeofenceBody,
        response: { 201: geofenceView, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await deps.geofences.create(req.body)),
  );

  app.get(
    '/api/geofences',
    { preHandler: deps.guard, schema: { tags: ['geofences'], summary: 'Every geofence', response: { 200: z.object({ geofences: z.array(geofenceView) }), ...errors } } },
    async () => ({ geofences: await deps.geofences.list() }),
  );

  app.delete(
    '/api/geofences/:id',
    { preHandler: deps.guard, schema: { tags: ['geofences'], summary: 'Delete a geofence', params: z.object({ id: z.uuid() }), response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await deps.geofences.delete(req.params.id);
      return reply.status(204).send(null);
    },
  );
}
