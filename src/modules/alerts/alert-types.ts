import type { AlertLocation, AlertPriority, AlertSeverity, AlertStatus, AlertView, EmergencyAlertPayload } from '../../protocol/families/emergencies.ts';

export type { AlertLocation, AlertPriority, AlertSeverity, AlertStatus };

/** A stored alert. Times are ISO-8601. */
export interface Alert {
  id: string;
  source: 'socket' | 'api';
  severity: AlertSeverity;
  title: string;
  message: string;
  location: AlertLocation;
  /** The reporter (panic button) or the user a backend reports about. */
  userId: string | null;
  /** Who raised it: the socket's user or the HTTP token's subject. */
  raisedBy: string;
  vehicleId: string | null;
  /** Set only when the reporter is a party of the trip. */
  tripId: string | null;
  unverifiedTripId: string | null;
  autoExpire: boolean;
  createdAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

/** The two parties of a trip, as the trips module knows them. */
export interface TripParties { passengerId: string; driverId: string | null }

/** How the alerts module looks a trip up (the trips module's API, adapted in app.ts); null when there is no such trip. */
export interface TripPartiesLookup {
  partiesOf(tripId: string): Promise<TripParties | null>;
}

/** Seed 000's `emergency_alert` payload. */
export function alertPayload(a: Alert): EmergencyAlertPayload {
  const location = a.location.address === undefined ? { latitude: a.location.latitude, longitude: a.location.longitude } : { ...a.location, address: a.location.address };
  return { id: a.id, severity: a.severity, title: a.title, message: a.message, location, userId: a.userId, tripId: a.tripId, vehicleId: a.vehicleId, timestamp: a.createdAt, autoExpire: a.autoExpire };
}

/** The HTTP view: the payload plus status and acknowledgement. */
export function alertView(a: Alert): AlertView {
  return {
    ...alertPayload(a),
    status: a.acknowledgedAt ? 'acknowledged' : 'open',
    source: a.source,
    unverifiedTripId: a.unverifiedTripId,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: a.acknowledgedAt,
  };
}

/** Seed 001's priority for `emergency:alert`. */
export const priorityOf = (severity: AlertSeverity): AlertPriority => (severity === 'high' || severity === 'critical' ? 'high' : 'normal');
