import { z } from 'zod';
import { defineOutbound, type OutboundEvents } from '../define.ts';
import {
  TRIP_STATUSES, driverArrivedPayload, newTripAvailablePayload, tripAcceptFailedPayload, tripAcceptedPayload, tripAssignmentConfirmedPayload,
  tripCancelledPayload, tripCompletedPayload, tripExpiredPayload, tripId, tripRequestFailedPayload, tripRequestSentPayload, tripStartedPayload,
  tripUnavailablePayload,
} from './rides.ts';
import { tripSummaryBody } from './rides-http.ts';

/**
 * Family A's server→client events and who receives them. Separate from
 * rides.ts because the `trip:*` room events carry the HTTP trip shape
 * (rides-http.ts), which itself builds on rides.ts.
 */

/** Seed 001 `trip:updated|started|completed` data: the trip after the change. */
export const tripRoomData = tripSummaryBody.extend({ previousStatus: z.enum(TRIP_STATUSES).nullable() });
const tripRoomEvent = z.object({ tripId, data: tripRoomData });

export const ridesOutbound = {
  trip_request_sent: defineOutbound({ schema: tripRequestSentPayload, to: '`user:{passengerId}` (a sender that asked for an ack gets the ack instead)' }),
  trip_request_failed: defineOutbound({ schema: tripRequestFailedPayload, to: 'the socket whose `trip_request` failed without an ack' }),
  new_trip_available: defineOutbound({ schema: newTripAvailablePayload, to: '`user:{driverId}` of every driver offered the trip, one emit per offer wave. Sent again, unchanged (same `tripId`, same `expiresAt`), while the offer is live and unanswered: to a driver\'s socket as it signs in, and every `TRIP_OFFER_RESEND_S` (default 10 s) to the driver\'s open sockets. A client that already shows the offer just sees it again; treat it by `tripId`' }),
  trip_accepted: defineOutbound({ schema: tripAcceptedPayload, to: '`user:{passengerId}`' }),
  trip_assignment_confirmed: defineOutbound({ schema: tripAssignmentConfirmedPayload, to: '`user:{driverId}` of the driver who won the trip (a sender that asked for an ack gets the ack instead)' }),
  trip_accept_failed: defineOutbound({ schema: tripAcceptFailedPayload, to: 'the socket whose `trip_accept` failed without an ack' }),
  trip_unavailable: defineOutbound({ schema: tripUnavailablePayload, to: '`user:{driverId}` of the other drivers still holding an offer' }),
  driver_arrived: defineOutbound({ schema: driverArrivedPayload, to: '`user:{passengerId}`' }),
  trip_started: defineOutbound({ schema: tripStartedPayload, to: '`user:{passengerId}`' }),
  trip_completed: defineOutbound({ schema: tripCompletedPayload, to: '`user:{passengerId}`' }),
  trip_cancelled: defineOutbound({ schema: tripCancelledPayload, to: '`user:{id}` of the other party (both parties when an admin or a backend cancels)' }),
  trip_expired: defineOutbound({ schema: tripExpiredPayload, to: '`user:{passengerId}`, when no driver accepted within `TRIP_SEARCH_TIMEOUT_S`' }),
  'trip:updated': defineOutbound({ schema: tripRoomEvent, to: '`trip:{tripId}` (passenger, driver and admins who joined it), on every status change' }),
  'trip:started': defineOutbound({ schema: tripRoomEvent, to: '`trip:{tripId}`' }),
  'trip:completed': defineOutbound({ schema: tripRoomEvent, to: '`trip:{tripId}`' }),
  'trip:cancelled': defineOutbound({ schema: z.object({ tripId, reason: z.string() }), to: '`trip:{tripId}`' }),
} as const;

export type RidesOutbound = OutboundEvents<typeof ridesOutbound>;
