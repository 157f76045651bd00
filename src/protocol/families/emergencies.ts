import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { id, isoTime, latitude, longitude, text } from '../schemas.ts';
import { tripId } from './rides.ts';

/**
 * Family E: emergency alerts (seed 000 `emergency_alert`,
 * seed 001 `emergency:alert { alert, priority }`). `emergency_alert` is never
 * rate-limited; its payload is still validated and size-limited.
 */
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
/** Seed 001's priority: `high` for high and critical alerts, else `normal`. */
export type AlertPriority = 'high' | 'normal';
export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const alertId = z.uuid();
const address = text().trim().max(300).optional();

/** `{ latitude, longitude, address? }` (seed 000); seed 001's `{ lat, lng }` is accepted too. */
export const alertLocation = z.union([
  z.object({ latitude, longitude, address }),
  z.object({ lat: latitude, lng: longitude, address }).transform(({ lat, lng, address: a }) => ({ latitude: lat, longitude: lng, address: a })),
]);
export type AlertLocation = z.output<typeof alertLocation>;

// --- Server→client payloads (the types below are inferred from them) ---

/** Seed 000's `emergency_alert` shape, plus `vehicleId` for alerts raised about a vehicle. */
export const emergencyAlertPayload = z.object({
  id: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  title: z.string(),
  message: z.string(),
  location: z.object({ latitude: z.number(), longitude: z.number(), address: z.string().optional() }),
  userId: z.string().nullable().describe('the reporter'),
  tripId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  timestamp: isoTime,
  autoExpire: z.boolean(),
});
export const emergencyAlertAcknowledgedPayload = z.object({ alertId: z.string(), acknowledgedBy: z.string(), acknowledgedAt: isoTime });
export type EmergencyAlertPayload = z.output<typeof emergencyAlertPayload>;
export type EmergencyAlertAcknowledgedPayload = z.output<typeof emergencyAlertAcknowledgedPayload>;

export const emergenciesInbound = {
  /**
   * The panic button (passenger or driver). `tripId` routes the alert to the
   * trip's other party only when the database says the sender is a party;
   * otherwise the alert still reaches admins and fleet.
   */
  emergency_alert: defineInbound({
    schema: z.object({
      tripId: tripId.optional(),
      location: alertLocation,
      message: text().trim().max(1000).optional(),
      severity: z.enum(ALERT_SEVERITIES).default('high'),
    }),
    audience: ['passenger', 'driver'],
    rate: 'none',
    ack: z.object({ alertId: z.string(), tripId: z.string().nullable().describe('the trip, when the sender is its party'), status: z.literal('open'), timestamp: isoTime }),
  }),
  /** New: an admin takes the alert; idempotent. The reporter gets `emergency_alert:acknowledged`. */
  'emergency_alert:acknowledge': defineInbound({ schema: z.object({ alertId }), audience: ['admin'], rate: 'default', ack: emergencyAlertAcknowledgedPayload }),
} as const;

export const emergenciesOutbound = {
  emergency_alert: defineOutbound({
    schema: emergencyAlertPayload,
    to: '`admins` and `user:{id}` of the trip\'s other party; every open alert again to an admin who connects',
  }),
  'emergency:alert': defineOutbound({
    schema: z.object({ alert: emergencyAlertPayload, priority: z.enum(['high', 'normal']).describe('`high` for high and critical alerts') }),
    to: '`fleet`, `admins` and `vehicle:{vehicleId}` when the alert names a vehicle; replayed with `emergency_alert`',
  }),
  'emergency_alert:acknowledged': defineOutbound({ schema: emergencyAlertAcknowledgedPayload, to: '`admins` and `user:{id}` of the reporter' }),
} as const;

export type EmergenciesOutbound = OutboundEvents<typeof emergenciesOutbound>;

// --- HTTP (POST /api/alerts, GET /api/alerts, POST /api/alerts/:id/acknowledge) ---

/** Raised by a backend (accident detection, breakdowns, low fuel). */
export const createAlertBody = z.object({
  userId: id.optional(),
  vehicleId: id.optional(),
  tripId: tripId.optional(),
  severity: z.enum(ALERT_SEVERITIES),
  title: text().trim().min(1).max(200),
  message: text().trim().min(1).max(2000),
  location: alertLocation,
  /** True: no longer re-sent to admins who connect after ALERT_AUTO_EXPIRE_S. */
  autoExpire: z.boolean().default(false),
});

export const alertView = z.object({
  id: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  title: z.string(),
  message: z.string(),
  location: z.object({ latitude: z.number(), longitude: z.number(), address: z.string().optional() }),
  userId: z.string().nullable(),
  tripId: z.string().nullable(),
  vehicleId: z.string().nullable(),
  timestamp: z.string(),
  autoExpire: z.boolean(),
  status: z.enum(ALERT_STATUSES),
  /** `socket` (a passenger's or driver's panic button) or `api` (a backend). */
  source: z.enum(['socket', 'api']),
  /** A tripId the reporter named but is not a party of (kept for the investigation, never used for routing). */
  unverifiedTripId: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type AlertView = z.output<typeof alertView>;

export const listAlertsQuery = z.object({
  status: z.enum([...ALERT_STATUSES, 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const alertList = z.object({ alerts: z.array(alertView) });
