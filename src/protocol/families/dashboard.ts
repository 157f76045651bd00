import { z } from 'zod';
import { defineInbound, defineOutbound, type OutboundEvents } from '../define.ts';
import { noPayload } from '../schemas.ts';
import { alertView } from './emergencies.ts';
import { TRIP_STATUSES } from './rides.ts';

/**
 * The operator dashboard (`GET /dashboard`), on the `/admin` namespace only.
 * A dashboard says `dashboard:watch` and gets one snapshot, then position
 * batches: every `DASHBOARD_BATCH_MS` at most one `dashboard:positions` with
 * the newest position of every driver and vehicle that moved, however many
 * fixes arrived. Trips and alerts follow as they change.
 */
export const DRIVER_STATES = ['available', 'busy', 'on_trip', 'offline'] as const;
export type DriverState = (typeof DRIVER_STATES)[number];
export const VEHICLE_STATES = ['active', 'idle', 'maintenance', 'inactive', 'low_fuel'] as const;
export type VehicleState = (typeof VEHICLE_STATES)[number];

const at = z.number().int().describe('epoch milliseconds of the fix');
export const dashboardDriver = z.object({
  id: z.string(),
  lat: z.number(),
  lng: z.number(),
  heading: z.number().nullable(),
  state: z.enum(DRIVER_STATES),
  at,
});
export const dashboardVehicle = z.object({
  id: z.string(),
  lat: z.number(),
  lng: z.number(),
  heading: z.number().nullable(),
  state: z.enum(VEHICLE_STATES),
  driverId: z.string().nullable().describe('null in batches: the snapshot and `vehicle:updated` carry the assignment'),
  at,
});
export const dashboardTrip = z.object({
  id: z.string(),
  status: z.enum(TRIP_STATUSES),
  passengerId: z.string(),
  passengerName: z.string(),
  driverId: z.string().nullable(),
  pickup: z.object({ address: z.string(), latitude: z.number(), longitude: z.number() }),
  dropoff: z.object({ address: z.string(), latitude: z.number(), longitude: z.number() }),
  requestedAt: z.string(),
  updatedAt: z.string(),
});
export type DashboardDriver = z.output<typeof dashboardDriver>;
export type DashboardVehicle = z.output<typeof dashboardVehicle>;
export type DashboardTrip = z.output<typeof dashboardTrip>;

export const dashboardSnapshot = z.object({
  drivers: z.array(dashboardDriver).describe("this node's drivers with a fix in the last `DRIVER_STALE_AFTER_S`; other nodes' drivers arrive with their next batch"),
  vehicles: z.array(dashboardVehicle).describe('vehicles with a known position (at most 10,000)'),
  trips: z.array(dashboardTrip).describe('trips not yet finished that this node has seen change'),
  alerts: z.array(alertView).describe('unacknowledged alerts, newest first (at most 100)'),
  batchMs: z.number().int().describe('how often `dashboard:positions` may arrive'),
  at: z.number().int(),
});
export const dashboardPositions = z.object({
  drivers: z.array(dashboardDriver),
  vehicles: z.array(dashboardVehicle),
  offline: z.array(z.string()).describe('drivers whose last socket closed since the previous batch'),
  at: z.number().int().describe('when the batch left, epoch ms'),
});
export type DashboardSnapshot = z.output<typeof dashboardSnapshot>;
export type DashboardPositions = z.output<typeof dashboardPositions>;

export const dashboardInbound = {
  /** `/admin` only: joins the dashboard feed; the snapshot follows as `dashboard:snapshot` (and is the ack's data). */
  'dashboard:watch': defineInbound({ schema: noPayload, audience: ['admin'], rate: 'default', answers: ['dashboard:snapshot'], ack: dashboardSnapshot }),
  'dashboard:unwatch': defineInbound({ schema: noPayload, audience: ['admin'], rate: 'default', ack: z.object({ watching: z.literal(false) }) }),
} as const;

export const dashboardOutbound = {
  'dashboard:snapshot': defineOutbound({ schema: dashboardSnapshot, to: 'the `/admin` socket that sent `dashboard:watch`, when it sent no ack callback' }),
  'dashboard:positions': defineOutbound({
    schema: dashboardPositions,
    to: 'the `/admin` `dashboard` room, at most once per `DASHBOARD_BATCH_MS` and only while a dashboard watches; a dashboard that is behind skips batches',
  }),
  'dashboard:trip': defineOutbound({ schema: dashboardTrip, to: 'the `/admin` `dashboard` room, on every trip status change' }),
  'dashboard:alert': defineOutbound({ schema: alertView, to: 'the `/admin` `dashboard` room, when an alert is raised or acknowledged (`status`)' }),
} as const;

export type DashboardOutbound = OutboundEvents<typeof dashboardOutbound>;
