/**
 * The alerts module (family E): emergency alerts from panic
 * buttons and backends, their routing and acknowledgement. Other modules use
 * only what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Queryable } from '../../storage/index.ts';
import type { TripParties, TripPartiesLookup } from './alert-types.ts';
import type { AlertsEvents } from './alerts-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { AlertsRepository } from './alerts.repository.ts';
import { AlertsService, type AlertsSettings } from './alerts.service.ts';

export type { AlertsEvents } from './alerts-events.ts';
export type { Alert, TripParties, TripPartiesLookup } from './alert-types.ts';
export { alertPayload, alertView, priorityOf } from './alert-types.ts';
export { AlertsService, type AlertsSettings, type PanicInput, type BackendAlertInput } from './alerts.service.ts';

export interface AlertsModuleDeps {
  db: Queryable;
  events: Publisher<AlertsEvents>;
  clock: Clock;
  trips: TripPartiesLookup;
  settings: AlertsSettings;
  log: Logger;
}

export function createAlertsModule(deps: AlertsModuleDeps): { service: AlertsService } {
  return { service: new AlertsService({ ...deps, repo: new AlertsRepository(deps.db) }) };
}

/**
 * Adapts a trip reader that throws NOT_FOUND (the trips module's
 * `TripsService.get`) to the lookup alerts need.
 */
export function tripPartiesFrom(trips: { get(tripId: string): Promise<TripParties> }): TripPartiesLookup {
  return {
    async partiesOf(tripId) {
      try {
        const { passengerId, driverId } = await trips.get(tripId);
        return { passengerId, driverId };
      } catch (err) {
        if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
        throw err;
      }
    },
  };
}
