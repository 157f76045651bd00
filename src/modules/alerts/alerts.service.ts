import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError, UnavailableError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Alert, AlertLocation, AlertSeverity, TripPartiesLookup } from './alert-types.ts';
import type { AlertsEvents } from './alerts-events.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { AlertsRepository } from './alerts.repository.ts';

export interface AlertsSettings {
  /** Auto-expiring alerts are no longer re-sent to admins who connect after this. */
  readonly autoExpireMs: number;
  /** Most unacknowledged alerts re-sent to an admin who connects. */
  readonly replayLimit: number;
}

export interface AlertsServiceDeps {
  repo: AlertsRepository;
  events: Publisher<AlertsEvents>;
  clock: Clock;
  trips: TripPartiesLookup;
  settings: AlertsSettings;
  log: Logger;
}

export interface PanicInput { tripId?: string | undefined; location: AlertLocation; message?: string | undefined; severity: AlertSeverity }
export interface BackendAlertInput {
  userId?: string | undefined;
  vehicleId?: string | undefined;
  tripId?: string | undefined;
  severity: AlertSeverity;
  title: string;
  message: string;
  location: AlertLocation;
  autoExpire: boolean;
}

interface TripCheck { tripId: string | null; unverifiedTripId: string | null; partyIds: string[] }

/**
 * Emergency alerts: store, route, acknowledge. A trip that cannot be verified
 * only narrows who hears of it (admins and fleet always do). An alert is
 * stored before anyone hears of it: one the database refuses is answered
 * with an error (the client retries), never delivered without a record that
 * admins can acknowledge and investigate.
 */
export class AlertsService {
  constructor(private readonly d: AlertsServiceDeps) {}

  /** The panic button of a passenger or driver. The trip routes only when the reporter is one of its parties. */
  async raiseFromUser(reporterId: string, input: PanicInput): Promise<Alert> {
    const trip = await this.checkTrip(input.tripId, reporterId, true);
    return this.raise({
      source: 'socket', severity: input.severity, title: 'Emergency Button Pressed',
      message: input.message || 'Emergency assistance has been requested', location: input.location,
      userId: reporterId, raisedBy: reporterId, vehicleId: null, autoExpire: false,
    }, trip);
  }

  /** Raised by a backend (accident detection, breakdowns, low fuel). The trip's parties other than `userId` are told. */
  async raiseFromBackend(raisedBy: string, input: BackendAlertInput): Promise<Alert> {
    const trip = await this.checkTrip(input.tripId, input.userId ?? null, false);
    return this.raise({
      source: 'api', severity: input.severity, title: input.title, message: input.message, location: input.location,
      userId: input.userId ?? null, raisedBy, vehicleId: input.vehicleId ?? null, autoExpire: input.autoExpire,
    }, trip);
  }

  /** Idempotent: the first acknowledgement is kept and announced; later ones return it unchanged. */
  async acknowledge(alertId: string, by: string): Promise<{ alert: Alert; changed: boolean }> {
    const won = await this.d.repo.acknowledge(alertId, by, new Date(this.d.clock.now()).toISOString());
    if (won) {
      this.d.events.publish('alert.acknowledged', { alert: won });
      return { alert: won, changed: true };
    }
    const alert = await this.d.repo.get(alertId);
    if (!alert) throw new AppError('NOT_FOUND', 'Alert not found');
    return { alert, changed: false };
  }

  /** What an admin who connects now is sent again. */
  openForReplay(): Promise<Alert[]> {
    return this.d.repo.open(new Date(this.d.clock.now() - this.d.settings.autoExpireMs).toISOString(), this.d.settings.replayLimit);
  }

  list(status: 'open' | 'acknowledged' | 'all', limit: number): Promise<Alert[]> {
    return this.d.repo.list(status, limit);
  }

  async get(alertId: string): Promise<Alert> {
    const alert = await this.d.repo.get(alertId);
    if (!alert) throw new AppError('NOT_FOUND', 'Alert not found');
    return alert;
  }

  private async raise(fields: Omit<Alert, 'id' | 'tripId' | 'unverifiedTripId' | 'createdAt' | 'acknowledgedBy' | 'acknowledgedAt'>, trip: TripCheck): Promise<Alert> {
    const alert: Alert = {
      ...fields, id: randomUUID(), tripId: trip.tripId, unverifiedTripId: trip.unverifiedTripId,
      createdAt: new Date(this.d.clock.now()).toISOString(), acknowledgedBy: null, acknowledgedAt: null,
    };
    try {
      await this.d.repo.insert(alert);
    } catch (err) {
      this.d.log.error({ err, alertId: alert.id }, 'alert not stored; not delivered');
      throw new UnavailableError('Alert storage', err);
    }
    this.d.events.publish('alert.raised', { alert, partyIds: trip.partyIds });
    return alert;
  }

  /**
   * A tripId is trusted only after the database confirms it: for a panic
   * button, the reporter must be its passenger or driver. Otherwise it is
   * kept as `unverifiedTripId` for the investigation and routes nothing.
   */
  private async checkTrip(tripId: string | undefined, userId: string | null, reporterMustBeParty: boolean): Promise<TripCheck> {
    if (!tripId) return { tripId: null, unverifiedTripId: null, partyIds: [] };
    const unverified = { tripId: null, unverifiedTripId: tripId, partyIds: [] };
    let parties;
    try {
      parties = await this.d.trips.partiesOf(tripId);
    } catch (err) {
      this.d.log.error({ err, tripId }, 'trip lookup failed for an alert; admins are still told');
      return unverified;
    }
    if (!parties) return unverified;
    const members = [parties.passengerId, parties.driverId].filter((m): m is string => m !== null);
    if (reporterMustBeParty && (userId === null || !members.includes(userId))) return unverified;
    return { tripId, unverifiedTripId: null, partyIds: members.filter((m) => m !== userId) };
  }
}
