import { z } from 'zod';
import { defineOutbound, type OutboundEvents } from '../define.ts';
import { finite, id, isoTime, text } from '../schemas.ts';

/**
 * Family G of PROTOCOL.md: marketplace bookings (seed 002). Bookings and
 * their participants come from the HTTP API; there are no client→server
 * events. Everything goes to `booking:{id}`, which a participant's sockets
 * join at connect and as soon as a booking naming them is created.
 */
export const BOOKING_STATUSES = ['pending', 'confirmed', 'active', 'completed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Statuses whose room is open; the other two are final and their room is left. */
export const OPEN_BOOKING_STATUSES = ['pending', 'confirmed', 'active'] as const satisfies readonly BookingStatus[];

export const BOOKING_PAYMENT_STATUSES = ['processing', 'completed', 'failed'] as const;
export type BookingPaymentStatus = (typeof BOOKING_PAYMENT_STATUSES)[number];

export const bookingsInbound = {} as const;

// --- Server→client payloads (seed 002's table) ---

export const bookingCreatedPayload = z.object({ bookingId: z.string(), listingId: z.string(), status: z.enum(BOOKING_STATUSES) });
export const bookingUpdatedPayload = z.object({ bookingId: z.string(), status: z.enum(BOOKING_STATUSES), timestamp: isoTime });
export const bookingCancelledPayload = z.object({ bookingId: z.string(), reason: z.string().describe('empty when none was given') });
export const bookingPaymentProcessingPayload = z.object({ bookingId: z.string(), paymentId: z.string(), amount: z.number().describe('two decimal places') });
export const bookingPaymentCompletedPayload = z.object({ bookingId: z.string(), paymentId: z.string(), status: z.literal('completed') });
export const bookingPaymentFailedPayload = z.object({ bookingId: z.string(), paymentId: z.string(), error: z.string() });

export type BookingCreatedPayload = z.output<typeof bookingCreatedPayload>;
export type BookingUpdatedPayload = z.output<typeof bookingUpdatedPayload>;
export type BookingCancelledPayload = z.output<typeof bookingCancelledPayload>;

const room = '`booking:{id}`';
export const bookingsOutbound = {
  'booking.created': defineOutbound({ schema: bookingCreatedPayload, to: `${room} (and \`user:{id}\` of each participant, so a join still in flight cannot lose it), when the booking is created` }),
  'booking.updated': defineOutbound({ schema: bookingUpdatedPayload, to: `${room} on every status change but cancellation; \`completed\` also to the participants' \`user:{id}\`, then the room is left` }),
  'booking.cancelled': defineOutbound({ schema: bookingCancelledPayload, to: `${room} and the participants' \`user:{id}\`, then the room is left` }),
  'payment.processing': defineOutbound({ schema: bookingPaymentProcessingPayload, to: room }),
  'payment.completed': defineOutbound({ schema: bookingPaymentCompletedPayload, to: room }),
  'payment.failed': defineOutbound({ schema: bookingPaymentFailedPayload, to: room }),
} as const;

export type BookingsOutbound = OutboundEvents<typeof bookingsOutbound>;

// --- HTTP (POST /api/bookings, PATCH /api/bookings/:id, POST /api/bookings/:id/payments) ---

/** A decimal amount with at most two places (kept in minor units inside). */
const amount = finite.min(0).max(100_000_000).refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'at most two decimal places');

export const createBookingBody = z.object({
  id: id.optional(),
  listingId: id,
  participants: z.array(id).min(1).max(100).transform((ids) => [...new Set(ids)]),
  status: z.literal('pending').default('pending'),
});
export type CreateBookingBody = z.output<typeof createBookingBody>;

export const patchBookingBody = z
  .object({
    status: z.enum(BOOKING_STATUSES),
    /** Only with `cancelled`: sent as `booking.cancelled { reason }`. */
    reason: text().trim().max(500).optional(),
  })
  .refine((b) => b.reason === undefined || b.status === 'cancelled', { message: 'reason applies to cancelled only', path: ['reason'] });
export type PatchBookingBody = z.output<typeof patchBookingBody>;

export const bookingPaymentBody = z
  .object({
    paymentId: id,
    amount,
    status: z.enum(BOOKING_PAYMENT_STATUSES),
    error: text().trim().min(1).max(500).optional(),
  })
  .refine((b) => b.status === 'failed' || b.error === undefined, { message: 'error applies to failed only', path: ['error'] });
export type BookingPaymentBody = z.output<typeof bookingPaymentBody>;

export const bookingView = z.object({
  id: z.string(),
  listingId: z.string(),
  participants: z.array(z.string()),
  status: z.enum(BOOKING_STATUSES),
  cancelReason: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BookingView = z.output<typeof bookingView>;
export const bookingBody = z.object({ booking: bookingView });

export const bookingPaymentView = z.object({
  bookingId: z.string(),
  paymentId: z.string(),
  amount: z.number(),
  status: z.enum(BOOKING_PAYMENT_STATUSES),
  error: z.string().nullable(),
  updatedAt: isoTime,
});
export const bookingPaymentResult = z.object({ payment: bookingPaymentView });
