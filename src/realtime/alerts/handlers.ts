import type { AlertsService } from '../../modules/alerts/index.ts';
import type { EventHandler } from '../event-router.ts';

export interface AlertHandlerDeps {
  alerts: AlertsService;
}

/**
 * Family E. `emergency_alert` is registered with rate class `none`: the router
 * still checks the token, the role and the payload, but never the rate.
 */
export function alertsHandlers(deps: AlertHandlerDeps) {
  const raise: EventHandler<'emergency_alert'> = async ({ userId }, input) => {
    const alert = await deps.alerts.raiseFromUser(userId, input);
    return { alertId: alert.id, tripId: alert.tripId, status: 'open' as const, timestamp: alert.createdAt };
  };

  const acknowledge: EventHandler<'emergency_alert:acknowledge'> = async ({ userId }, { alertId }) => {
    const { alert } = await deps.alerts.acknowledge(alertId, userId);
    return { alertId: alert.id, acknowledgedBy: alert.acknowledgedBy, acknowledgedAt: alert.acknowledgedAt };
  };

  return {
    emergency_alert: raise,
    'emergency_alert:acknowledge': acknowledge,
  } as const;
}
