import type { Booking, BookingPayment } from './booking-types.ts';

/**
 * What the bookings module reports. It knows nothing about sockets: the
 * delivery layer (src/realtime/bookings/delivery.ts) joins and leaves rooms
 * and turns these into emits.
 */
export interface BookingsEvents {
  'booking.created': { booking: Booking };
  /** Any status change, cancellation included (read `booking.status`). */
  'booking.status_changed': { booking: Booking };
  /** `participants`: the booking's, who get the payment's outcome. */
  'booking.payment': { payment: BookingPayment; participants: string[] };
}
