import type {
  BookingCancelledPayload, BookingCreatedPayload, BookingUpdatedPayload, BookingView,
} from '../../protocol/families/bookings.ts';
import type { Booking, BookingPayment } from './booking-types.ts';

/** Wire shapes of bookings (seed 002). */
export const bookingView = (b: Booking): BookingView => ({ ...b, participants: [...b.participants] });
export const bookingCreated = (b: Booking): BookingCreatedPayload => ({ bookingId: b.id, listingId: b.listingId, status: b.status });
export const bookingUpdated = (b: Booking): BookingUpdatedPayload => ({ bookingId: b.id, status: b.status, timestamp: b.updatedAt });
export const bookingCancelled = (b: Booking): BookingCancelledPayload => ({ bookingId: b.id, reason: b.cancelReason ?? '' });
export const paymentAmount = (p: BookingPayment): number => p.amountMinor / 100;
export const paymentView = (p: BookingPayment) => ({
  bookingId: p.bookingId, paymentId: p.paymentId, amount: paymentAmount(p), status: p.status, error: p.error, updatedAt: p.updatedAt,
});
