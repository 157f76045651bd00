import { z } from 'zod';
import { defineInbound, tripIdOf } from '../define.ts';
import { isoTime, latLng, latitude, longitude, text } from '../schemas.ts';

/**
 * Family A: ride-hailing trips and dispatch (seed 000 "Trip
 * Events"), with seed 001's `subscribe:trip` and `trip:*` room events.
 * Money is a decimal with two places on the wire; distances are kilometres,
 * durations minutes, times ISO-8601 UTC.
 */
export const TRIP_STATUSES = ['searching_driver', 'accepted', 'driver_arrived', 'in_progress', 'completed', 'cancelled', 'expired'] as const;
export type TripStatus = (typeof TRIP_STATUSES)[number];
export const TRIP_TYPES = ['standard', 'premium', 'shared', 'delivery'] as const;
export type TripType = (typeof TRIP_TYPES)[number];
export const PAYMENT_METHODS = ['wallet', 'cash', 'ebs', 'cyberpay'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const REJECT_REASONS = ['too_far', 'busy', 'other'] as const;
/** Who ended a trip early; `system` is a backend (service token). */
export const CANCELLED_BY = ['passenger', 'driver', 'admin', 'system'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];

/** Server-created trip ids are UUIDs; anything else cannot name a trip. */
export const tripId = z.uuid();
const address = text().trim().min(1).max(300);
const reason = text().trim().max(500);
/** Client-reported instants are informational; the server stamps its own time. */
const reportedTime = isoTime.optional();

// --- Server→client payloads (the types below are inferred from them) ---

const money = z.number().describe('decimal, two places');
const km = z.number().describe('kilometres');
const minutes = z.number().describe('minutes');
export const TRIP_PAYMENT_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;

export const tripRequestSentPayload = z.object({ tripId, status: z.literal('searching_driver'), nearbyDriversCount: z.number().int() });
export const tripRequestFailedPayload = z.object({ message: z.string(), code: z.string().describe('an error code') });

/** Seed 000 `new_trip_available`, with `expiresAt` (family A) and the passenger's notes. */
export const newTripAvailablePayload = z.object({
  tripId,
  passengerId: z.string(),
  passengerName: z.string(),
  passengerRating: z.number().nullable(),
  pickupAddress: z.string(),
  pickupLocation: latLng,
  dropoffAddress: z.string(),
  dropoffLocation: latLng,
  estimatedFare: money,
  estimatedDistance: km,
  estimatedDuration: minutes,
  tripType: z.enum(TRIP_TYPES),
  paymentMethod: z.enum(PAYMENT_METHODS),
  notes: z.string().nullable(),
  requestTime: isoTime,
  expiresAt: isoTime.describe('the offer lapses then'),
});

export const wireVehicleInfo = z.object({ make: z.string(), model: z.string(), year: z.number().int(), color: z.string(), plateNumber: z.string(), type: z.string().optional() });

export const tripAcceptedPayload = z.object({
  tripId,
  driverId: z.string(),
  driverName: z.string(),
  driverRating: z.number().nullable(),
  driverPhone: z.string().nullable(),
  vehicleInfo: wireVehicleInfo.nullable(),
  driverLocation: latLng.nullable(),
  estimatedArrival: minutes.nullable().describe('minutes to pickup'),
  acceptedAt: isoTime,
});

export const tripAssignmentConfirmedPayload = z.object({
  tripId,
  passengerId: z.string(),
  passengerName: z.string(),
  passengerPhone: z.string().nullable(),
  pickupAddress: z.string(),
  pickupLocation: latLng,
  dropoffAddress: z.string(),
  dropoffLocation: latLng,
  estimatedFare: money,
  paymentMethod: z.enum(PAYMENT_METHODS),
  notes: z.string().nullable(),
});

export const tripAcceptFailedPayload = z.object({ tripId: z.string().nullable(), code: z.string().describe('an error code'), message: z.string() });
export const tripUnavailablePayload = z.object({ tripId, reason: z.enum(['accepted_by_another_driver', 'cancelled', 'expired', 'offer_expired']) });
export const driverArrivedPayload = z.object({ tripId, status: z.literal('driver_arrived'), message: z.string(), arrivedAt: isoTime });
export const tripStartedPayload = z.object({ tripId, status: z.literal('in_progress'), message: z.string(), startedAt: isoTime, estimatedArrival: isoTime.describe('at the drop-off') });
export const tripCompletedPayload = z.object({
  tripId,
  status: z.literal('completed'),
  message: z.string(),
  completedAt: isoTime,
  actualFare: money,
  actualDistance: km,
  actualDuration: minutes,
  paymentStatus: z.enum(TRIP_PAYMENT_STATUSES).describe('`pending` until the payment settles'),
});
export const tripCancelledPayload = z.object({ tripId, status: z.literal('cancelled'), cancelledBy: z.enum(CANCELLED_BY), reason: z.string(), cancelledAt: isoTime });
export const tripExpiredPayload = z.object({ tripId, status: z.literal('expired'), reason: z.string() });
/** What joining `trip:{tripId}` answers. */
export const joinedTripAck = z.object({ tripId, roomId: z.string(), status: z.enum(TRIP_STATUSES) });

export type NewTripAvailablePayload = z.output<typeof newTripAvailablePayload>;
export type TripAcceptedPayload = z.output<typeof tripAcceptedPayload>;
export type TripAssignmentConfirmedPayload = z.output<typeof tripAssignmentConfirmedPayload>;
export type TripUnavailablePayload = z.output<typeof tripUnavailablePayload>;
export type TripUnavailableReason = TripUnavailablePayload['reason'];
export type DriverArrivedPayload = z.output<typeof driverArrivedPayload>;
export type TripStartedPayload = z.output<typeof tripStartedPayload>;
export type TripCompletedPayload = z.output<typeof tripCompletedPayload>;
export type TripCancelledPayload = z.output<typeof tripCancelledPayload>;

const failureWithTrip = (event: string) => ({
  event,
  payload: (error: { code: string; message: string }, raw: unknown) => ({ tripId: tripIdOf(raw) ?? null, code: error.code, message: error.message }),
});

export const ridesInbound = {
  trip_request: defineInbound({
    schema: z.object({
      pickupAddress: address,
      pickupLatitude: latitude,
      pickupLongitude: longitude,
      dropoffAddress: address,
      dropoffLatitude: latitude,
      dropoffLongitude: longitude,
      tripType: z.enum(TRIP_TYPES).default('standard'),
      paymentMethod: z.enum(PAYMENT_METHODS).default('cash'),
      notes: text().trim().max(500).optional(),
      /** Advisory only: the server computes its own estimate. */
      estimatedFare: z.number().finite().min(0).max(1_000_000).optional(),
    }),
    audience: ['passenger'],
    rate: 'default',
    failure: { event: 'trip_request_failed', payload: (error) => ({ message: error.message, code: error.code }) },
    answers: ['trip_request_sent'],
    ack: tripRequestSentPayload,
  }),
  trip_accept: defineInbound({
    schema: z.object({
      tripId,
      /** Minutes to pickup as the driver's app sees it. */
      estimatedArrival: z.number().finite().min(0).max(600).optional(),
      driverLocation: latLng.optional(),
    }),
    audience: ['driver'],
    rate: 'default',
    failure: failureWithTrip('trip_accept_failed'),
    answers: ['trip_assignment_confirmed'],
    ack: tripAssignmentConfirmedPayload,
  }),
  trip_reject: defineInbound({
    schema: z.object({ tripId, reason: z.enum(REJECT_REASONS).default('other') }),
    audience: ['driver'],
    rate: 'default',
    ack: z.object({ tripId, rejected: z.literal(true) }),
  }),
  driver_arrived: defineInbound({ schema: z.object({ tripId, arrivalTime: reportedTime }), audience: ['driver'], rate: 'default', ack: driverArrivedPayload }),
  trip_started: defineInbound({
    schema: z.object({ tripId, startTime: reportedTime, startLocation: latLng.optional() }),
    audience: ['driver'],
    rate: 'default',
    ack: tripStartedPayload,
  }),
  trip_completed: defineInbound({
    schema: z.object({
      tripId,
      endTime: reportedTime,
      endLocation: latLng.optional(),
      /** Kilometres; checked against the recorded track when one exists. */
      actualDistance: z.number().finite().min(0).max(2000).optional(),
      /** Minutes; never more than the server measured since the start. */
      actualDuration: z.number().finite().min(0).max(1440).optional(),
    }),
    audience: ['driver'],
    rate: 'default',
    ack: tripCompletedPayload,
  }),
  trip_cancel: defineInbound({
    schema: z.object({ tripId, reason: reason.default('') }),
    audience: ['passenger', 'driver', 'admin'],
    rate: 'default',
    ack: tripCancelledPayload,
  }),
  join_trip: defineInbound({ schema: z.object({ tripId }), audience: 'authenticated', rate: 'default', ack: joinedTripAck }),
  /** Seed 001 sends the bare tripId; `{ tripId }` is accepted too. */
  'subscribe:trip': defineInbound({
    schema: z.union([tripId, z.object({ tripId }).transform((o) => o.tripId)]),
    audience: 'authenticated',
    rate: 'default',
    ack: joinedTripAck,
  }),
} as const;

/** The trip as room members and the HTTP API see it. */
export interface TripSummary {
  id: string;
  status: TripStatus;
  passengerId: string;
  driverId: string | null;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  pickup: { address: string; latitude: number; longitude: number };
  dropoff: { address: string; latitude: number; longitude: number };
  notes: string | null;
  estimatedFare: number;
  estimatedDistance: number;
  estimatedDuration: number;
  actualFare: number | null;
  actualDistance: number | null;
  actualDuration: number | null;
  paymentStatus: (typeof TRIP_PAYMENT_STATUSES)[number] | null;
  requestedAt: string;
  acceptedAt: string | null;
  arrivedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelledBy: CancelledBy | null;
  cancelReason: string | null;
  expiredAt: string | null;
  updatedAt: string;
}

/** Seed 001 `trip:updated|started|completed` data: the trip after the change. */
export interface TripRoomData extends TripSummary { previousStatus: TripStatus | null }
