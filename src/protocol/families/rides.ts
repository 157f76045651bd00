import { z } from 'zod';
import { defineInbound, tripIdOf } from '../define.ts';
import { isoTime, latLng, latitude, longitude, text } from '../schemas.ts';

/**
 * Family A of PROTOCOL.md: ride-hailing trips and dispatch (seed 000 "Trip
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
/** Why an offered driver may no longer accept. */
export type TripUnavailableReason = 'accepted_by_another_driver' | 'cancelled' | 'expired' | 'offer_expired';

/** Server-created trip ids are UUIDs; anything else cannot name a trip. */
export const tripId = z.uuid();
const address = text().trim().min(1).max(300);
const reason = text().trim().max(500);
/** Client-reported instants are informational; the server stamps its own time. */
const reportedTime = isoTime.optional();

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
  }),
  trip_reject: defineInbound({
    schema: z.object({ tripId, reason: z.enum(REJECT_REASONS).default('other') }),
    audience: ['driver'],
    rate: 'default',
  }),
  driver_arrived: defineInbound({ schema: z.object({ tripId, arrivalTime: reportedTime }), audience: ['driver'], rate: 'default' }),
  trip_started: defineInbound({
    schema: z.object({ tripId, startTime: reportedTime, startLocation: latLng.optional() }),
    audience: ['driver'],
    rate: 'default',
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
  }),
  trip_cancel: defineInbound({
    schema: z.object({ tripId, reason: reason.default('') }),
    audience: ['passenger', 'driver', 'admin'],
    rate: 'default',
  }),
  join_trip: defineInbound({ schema: z.object({ tripId }), audience: 'authenticated', rate: 'default' }),
  /** Seed 001 sends the bare tripId; `{ tripId }` is accepted too. */
  'subscribe:trip': defineInbound({
    schema: z.union([tripId, z.object({ tripId }).transform((o) => o.tripId)]),
    audience: 'authenticated',
    rate: 'default',
  }),
} as const;

export interface WireLatLng { latitude: number; longitude: number }

export interface TripRequestSentPayload { tripId: string; status: 'searching_driver'; nearbyDriversCount: number }
export interface TripRequestFailedPayload { message: string; code: string }

/** Seed 000 `new_trip_available`, with `expiresAt` (PROTOCOL.md A) and the passenger's notes. */
export interface NewTripAvailablePayload {
  tripId: string;
  passengerId: string;
  passengerName: string;
  passengerRating: number | null;
  pickupAddress: string;
  pickupLocation: WireLatLng;
  dropoffAddress: string;
  dropoffLocation: WireLatLng;
  estimatedFare: number;
  estimatedDistance: number;
  estimatedDuration: number;
  tripType: TripType;
  paymentMethod: PaymentMethod;
  notes: string | null;
  requestTime: string;
  expiresAt: string;
}

export interface WireVehicleInfo { make: string; model: string; year: number; color: string; plateNumber: string; type?: string }

export interface TripAcceptedPayload {
  tripId: string;
  driverId: string;
  driverName: string;
  driverRating: number | null;
  driverPhone: string | null;
  vehicleInfo: WireVehicleInfo | null;
  driverLocation: WireLatLng | null;
  /** Minutes to pickup. */
  estimatedArrival: number | null;
  acceptedAt: string;
}

export interface TripAssignmentConfirmedPayload {
  tripId: string;
  passengerId: string;
  passengerName: string;
  passengerPhone: string | null;
  pickupAddress: string;
  pickupLocation: WireLatLng;
  dropoffAddress: string;
  dropoffLocation: WireLatLng;
  estimatedFare: number;
  paymentMethod: PaymentMethod;
  notes: string | null;
}

export interface TripAcceptFailedPayload { tripId: string | null; code: string; message: string }
export interface TripUnavailablePayload { tripId: string; reason: TripUnavailableReason }
export interface DriverArrivedPayload { tripId: string; status: 'driver_arrived'; message: string; arrivedAt: string }
export interface TripStartedPayload { tripId: string; status: 'in_progress'; message: string; startedAt: string; estimatedArrival: string }
export interface TripCompletedPayload {
  tripId: string;
  status: 'completed';
  message: string;
  completedAt: string;
  actualFare: number;
  actualDistance: number;
  actualDuration: number;
  /** `pending` until payments (family C) settles the trip. */
  paymentStatus: 'pending' | 'processing' | 'completed' | 'failed';
}
export interface TripCancelledPayload { tripId: string; status: 'cancelled'; cancelledBy: CancelledBy; reason: string; cancelledAt: string }
export interface TripExpiredPayload { tripId: string; status: 'expired'; reason: string }

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
  paymentStatus: 'pending' | 'processing' | 'completed' | 'failed' | null;
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

export interface RidesOutbound {
  trip_request_sent: (p: TripRequestSentPayload) => void;
  trip_request_failed: (p: TripRequestFailedPayload) => void;
  new_trip_available: (p: NewTripAvailablePayload) => void;
  trip_accepted: (p: TripAcceptedPayload) => void;
  trip_assignment_confirmed: (p: TripAssignmentConfirmedPayload) => void;
  trip_accept_failed: (p: TripAcceptFailedPayload) => void;
  trip_unavailable: (p: TripUnavailablePayload) => void;
  driver_arrived: (p: DriverArrivedPayload) => void;
  trip_started: (p: TripStartedPayload) => void;
  trip_completed: (p: TripCompletedPayload) => void;
  trip_cancelled: (p: TripCancelledPayload) => void;
  trip_expired: (p: TripExpiredPayload) => void;
  'trip:updated': (p: { tripId: string; data: TripRoomData }) => void;
  'trip:started': (p: { tripId: string; data: TripRoomData }) => void;
  'trip:completed': (p: { tripId: string; data: TripRoomData }) => void;
  'trip:cancelled': (p: { tripId: string; reason: string }) => void;
}
