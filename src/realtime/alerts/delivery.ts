import type { Logger } from '../../core/logger.ts';
import { alertPayload, priorityOf, type AlertsEvents, type AlertsService } from '../../modules/alerts/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Delivery } from '../delivery.ts';
import type { SessionHook } from '../sessions.ts';
import { rooms } from '../types.ts';
import type { EventSource } from '../../core/domain-events.ts';

/**
 * Turns alerts-module events into emits: `emergency_alert` (seed 000) to
 * `admins` and the trip's other party, `emergency:alert { alert, priority }`
 * (seed 001) to `fleet`, `admins` and the vehicle's room; an acknowledgement
 * to the reporter and to `admins` (other dashboards clear it). Each is one
 * emit to several rooms.
 */
export function deliverAlertEvents(events: EventSource<AlertsEvents>, delivery: Delivery): void {
  events.on('alert.raised', ({ alert, partyIds }) => {
    const payload = alertPayload(alert);
    delivery.to([rooms.admins, ...partyIds.map(rooms.user)], 'emergency_alert', payload);
    delivery.to([rooms.fleet, rooms.admins, ...(alert.vehicleId ? [rooms.vehicle(alert.vehicleId)] : [])], 'emergency:alert', { alert: payload, priority: priorityOf(alert.severity) });
  });
  events.on('alert.acknowledged', ({ alert }) => {
    const to = [rooms.admins, ...(alert.userId ? [rooms.user(alert.userId)] : [])];
    delivery.to(to, 'emergency_alert:acknowledged', { alertId: alert.id, acknowledgedBy: alert.acknowledgedBy!, acknowledgedAt: alert.acknowledgedAt! });
  });
}

/** Session hook: an admin who connects is sent every unacknowledged alert again, oldest first, in both seed shapes. */
export function replayOpenAlertsToAdmins(alerts: AlertsService, metrics: Metrics, log: Logger): SessionHook {
  return async (socket) => {
    if (socket.data.role !== 'admin') return;
    try {
      const open = await alerts.openForReplay();
      for (const alert of open.reverse()) {
        if (!socket.connected) return;
        const payload = alertPayload(alert);
        socket.emit('emergency_alert', payload);
        socket.emit('emergency:alert', { alert: payload, priority: priorityOf(alert.severity) });
        metrics.eventSent('emergency_alert');
        metrics.eventSent('emergency:alert');
      }
    } catch (err) {
      log.warn({ err, userId: socket.data.userId }, 'alert replay failed');
    }
  };
}
