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
 * to the reporter and to `admins` (other dashboards clear it).
 *
 * The trip's parties and the reporter get theirs durably (`_seq`,
 * resumable). Admins get them plain: an admin who reconnects is sent every
 * unacknowledged alert again from the alerts table (replayOpenAlertsToAdmins),
 * which is the state a dashboard needs, without one stream entry per admin
 * per alert.
 */
export function deliverAlertEvents(events: EventSource<AlertsEvents>, delivery: Delivery): void {
  events.on('alert.raised', ({ alert, partyIds }) => {
    const payload = alertPayload(alert);
    void delivery.durable(partyIds, 'emergency_alert', payload, { watchers: [rooms.admins] });
    delivery.to([rooms.fleet, rooms.admins, ...(alert.vehicleId ? [rooms.vehicle(alert.vehicleId)] : [])], 'emergency:alert', { alert: payload, priority: priorityOf(alert.severity) });
  });
  events.on('alert.acknowledged', ({ alert }) => {
    const ack = { alertId: alert.id, acknowledgedBy: alert.acknowledgedBy!, acknowledgedAt: alert.acknowledgedAt! };
    void delivery.durable(alert.userId ? [alert.userId] : [], 'emergency_alert:acknowledged', ack, { watchers: [rooms.admins] });
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
