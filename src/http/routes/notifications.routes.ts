import type { NotificationsService } from '../../modules/notifications/index.ts';
import { sendNotificationBody, sendNotificationResult } from '../../protocol/families/notifications.ts';
import { errorBody } from '../../protocol/http.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 413: errorBody };

/** POST /api/notifications (admin or service). */
export function registerNotificationsRoutes(app: HttpApp, deps: { notifications: NotificationsService; guard: ReturnType<typeof requireRole> }): void {
  app.post(
    '/api/notifications',
    {
      preHandler: deps.guard,
      schema: {
        tags: ['notifications'],
        summary: 'Send a notification to one user, many users (one emit, one insert; NOTIFICATION_BULK_MAX at most) or everyone (not stored)',
        body: sendNotificationBody,
        response: { 201: sendNotificationResult, 200: sendNotificationResult, ...errors },
      },
    },
    async (req, reply) => {
      const { userId, userIds, notification, dedupeKey } = req.body;
      const target = userId !== undefined ? { userId } : userIds !== undefined ? { userIds } : { broadcast: true as const };
      const result = await deps.notifications.send(target, notification, { dedupeKey });
      // 200 when the dedupe key had been used: nothing new was created.
      reply.code(result.notification ? 201 : 200);
      return { id: result.notification?.id ?? null, broadcast: result.broadcast, recipients: result.recipients };
    },
  );
}
