import { z } from 'zod';
import type { FleetService } from '../../modules/fleet/index.ts';
import { createVehicleBody, patchVehicleBody, telemetryBody, telemetryResult, VEHICLE_STATUSES, vehicleId, vehicleView } from '../../protocol/families/fleet.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const params = z.object({ id: vehicleId });

/** Vehicles and telemetry (seed 001), admin or service. */
export function registerFleetRoutes(app: HttpApp, deps: { fleet: FleetService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/vehicles',
    {
      preHandler: deps.guard,
      schema: { tags: ['fleet'], summary: 'Register a vehicle; 409 when the id, plate or driver is taken', body: createVehicleBody, response: { 201: vehicleView, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await deps.fleet.create(req.body)),
  );

  app.get(
    '/api/vehicles',
    {
      preHandler: deps.guard,
      schema: { tags: ['fleet'], summary: 'Vehicles, optionally of one status', querystring: z.object({ status: z.enum(VEHICLE_STATUSES).optional() }), response: { 200: z.object({ vehicles: z.array(vehicleView) }), ...errors } },
    },
    async (req) => ({ vehicles: await deps.fleet.list(req.query.status) }),
  );

  app.get(
    '/api/vehicles/:id',
    { preHandler: deps.guard, schema: { tags: ['fleet'], summary: 'A vehicle with its last position', params, response: { 200: vehicleView, ...errors } } },
    async (req) => deps.fleet.get(req.params.id),
  );

  app.patch(
    '/api/vehicles/:id',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['fleet'],
        summary: 'Change a vehicle (`driverId: null` unassigns); emits `vehicle:updated { vehicleId, data }`',
        params,
        body: patchVehicleBody,
        response: { 200: vehicleView, ...errors },
      },
    },
    async (req) => deps.fleet.patch(req.params.id, req.body),
  );

  app.post(
    '/api/vehicles/:id/telemetry',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['fleet'],
        summary: 'A tracker report: location (`{ lat, lng }` or `{ latitude, longitude }`), fuel, status. Emits `vehicle:location`, `tracking:update`, `vehicle:low-fuel`, geofence crossings',
        params,
        body: telemetryBody,
        response: { 200: telemetryResult, ...errors },
      },
    },
    async (req) => deps.fleet.telemetry(req.params.id, req.body),
  );
}
