import { z } from 'zod';
import { tripSummary, type TripsService } from '../../modules/trips/index.ts';
import { cancelTripBody, tripSummaryBody, tripWithHistoryBody } from '../../protocol/families/rides-http.ts';
import { tripId } from '../../protocol/families/rides.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const params = z.object({ id: tripId });

/** GET /api/trips/:id and POST /api/trips/:id/cancel (admin or service). */
export function registerTripsRoutes(app: HttpApp, deps: { trips: TripsService; guard: ReturnType<typeof requireRole> }): void {
  app.get(
    '/api/trips/:id',
    { preHandler: deps.guard, schema: { tags: ['trips'], summary: 'A trip with its status history', params, response: { 200: tripWithHistoryBody, ...errors } } },
    async (req) => {
      const { trip, history } = await deps.trips.getWithHistory(req.params.id);
      return { ...tripSummary(trip), statusHistory: history };
    },
  );

  app.post(
    '/api/trips/:id/cancel',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['trips'],
        summary: 'Cancel a trip at any status before its end; both parties get `trip_cancelled`, offered drivers `trip_unavailable`',
        params,
        body: cancelTripBody,
        response: { 200: tripSummaryBody, ...errors },
      },
    },
    async (req) => {
      const principal = req.principal!;
      return tripSummary(await deps.trips.cancel({ userId: principal.sub, role: principal.role }, req.params.id, req.body.reason));
    },
  );
}
