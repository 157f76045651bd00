import { z } from 'zod';
import { alertView, type AlertsService } from '../../modules/alerts/index.ts';
import { alertId, alertList, alertView as alertViewBody, createAlertBody, listAlertsQuery } from '../../protocol/families/emergencies.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody };
const params = z.object({ id: alertId });

/** POST /api/alerts, GET /api/alerts, GET /api/alerts/:id, POST /api/alerts/:id/acknowledge (admin or service). */
export function registerAlertsRoutes(app: HttpApp, deps: { alerts: AlertsService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/alerts',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['alerts'],
        summary: 'Raise an alert (accident detection, breakdown, low fuel): `emergency_alert` to admins and the trip\'s parties, `emergency:alert` to fleet and admins',
        body: createAlertBody,
        response: { 201: alertViewBody, ...errors },
      },
    },
    async (req, reply) => {
      const alert = await deps.alerts.raiseFromBackend(req.principal!.sub, req.body);
      reply.code(201);
      return alertView(alert);
    },
  );

  app.get(
    '/api/alerts',
    { preHandler: deps.guard, schema: { tags: ['alerts'], summary: 'Alerts, newest first (`status` open, acknowledged or all)', querystring: listAlertsQuery, response: { 200: alertList, ...errors } } },
    async (req) => ({ alerts: (await deps.alerts.list(req.query.status, req.query.limit)).map(alertView) }),
  );

  app.get(
    '/api/alerts/:id',
    { preHandler: deps.guard, schema: { tags: ['alerts'], summary: 'One alert', params, response: { 200: alertViewBody, ...errors } } },
    async (req) => alertView(await deps.alerts.get(req.params.id)),
  );

  app.post(
    '/api/alerts/:id/acknowledge',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert (idempotent: the first acknowledgement is kept); the reporter gets `emergency_alert:acknowledged`',
        params,
        response: { 200: alertViewBody, ...errors },
      },
    },
    async (req) => alertView((await deps.alerts.acknowledge(req.params.id, req.principal!.sub)).alert),
  );
}
