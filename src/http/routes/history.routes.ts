import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { FleetService } from '../../modules/fleet/index.ts';
import type { LocationHistory, TrackSubject } from '../../modules/locations/index.ts';
import { historyBody, historyQuery, vehicleId, type HistoryQuery } from '../../protocol/families/fleet.ts';
import { errorBody } from '../../protocol/http.ts';
import { id } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const DEFAULT_RANGE_MS = 24 * 3600_000;
const summary = 'Recorded positions in time order; `from`/`to` ISO instants (default: the last 24 h), `limit`, and thinning for replay (`minDistanceM`, `minIntervalS`). `next` continues a range cut short by `limit`';

/** GET /api/vehicles/:id/history and /api/drivers/:id/history, admin or service. */
export function registerHistoryRoutes(app: HttpApp, deps: { history: LocationHistory; fleet: FleetService; now: () => number; guard: ReturnType<typeof requireRole> }): void {
  const read = async (subject: TrackSubject, q: HistoryQuery) => {
    const to = q.to ? Date.parse(q.to) : deps.now();
    const from = q.from ? Date.parse(q.from) : to - DEFAULT_RANGE_MS;
    if (from > to) throw new AppError('VALIDATION_ERROR', 'Invalid request at from: after `to`', { field: 'from' });
    const { points, next } = await deps.history.read(subject, { from, to, limit: q.limit, minDistanceM: q.minDistanceM, minIntervalS: q.minIntervalS });
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      points: points.map(({ at, ...p }) => ({ ...p, recordedAt: new Date(at).toISOString() })),
      count: points.length,
      next: next === null ? null : new Date(next).toISOString(),
    };
  };

  app.get(
    '/api/vehicles/:id/history',
    { preHandler: deps.guard, schema: { tags: ['fleet'], summary, params: z.object({ id: vehicleId }), querystring: historyQuery, response: { 200: historyBody, ...errors } } },
    async (req) => {
      await deps.fleet.get(req.params.id);
      return read({ vehicleId: req.params.id }, req.query);
    },
  );

  app.get(
    '/api/drivers/:id/history',
    { preHandler: deps.guard, schema: { tags: ['locations'], summary, params: z.object({ id }), querystring: historyQuery, response: { 200: historyBody, ...errors } } },
    async (req) => read({ driverId: req.params.id }, req.query),
  );
}
