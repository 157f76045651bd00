import { DomainEvents, type EventSource } from '../core/domain-events.ts';
import { registerAlertsRoutes } from '../http/routes/alerts.routes.ts';
import { createAlertsModule, tripPartiesFrom, type AlertsEvents, type AlertsService } from '../modules/alerts/index.ts';
import { alertsHandlers } from '../realtime/alerts/handlers.ts';
import { deliverAlertEvents, replayOpenAlertsToAdmins } from '../realtime/alerts/delivery.ts';
import type { FamilyContext } from './context.ts';
import type { TripsFamily } from './trips.ts';

/** Family E, emergencies: alerts from riders, drivers and backends to admins, fleet and the trip's other party; acknowledgement. */
export function attachAlerts(ctx: FamilyContext, deps: { trips: TripsFamily }): { service: AlertsService; events: EventSource<AlertsEvents> } {
  const { log } = ctx;
  const events = new DomainEvents<AlertsEvents>(log);
  const { service } = createAlertsModule({ db: ctx.db, events, clock: ctx.clock, trips: tripPartiesFrom(deps.trips.service), settings: ctx.config.notifications.alerts, log });
  ctx.handle(alertsHandlers({ alerts: service }));
  deliverAlertEvents(events, ctx.delivery);
  // An admin who connects gets every unacknowledged alert again.
  ctx.onAuthenticated(replayOpenAlertsToAdmins(service, ctx.metrics, log));
  registerAlertsRoutes(ctx.http, { alerts: service, guard: ctx.guards.staff });
  return { service, events };
}
