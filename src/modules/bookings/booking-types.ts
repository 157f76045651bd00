import type { BookingPaymentStatus, BookingStatus } from '../../protocol/families/bookings.ts';

export type { BookingStatus, BookingPaymentStatus };

export interface Booking {
  id: string;
  listingId: string;
  participants: string[];
  status: BookingStatus;
  cancelReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface BookingPayment {
  bookingId: string;
  paymentId: string;
  amountMinor: number;
  status: BookingPaymentStatus;
  error: string | null;
  updatedAt: string;
}

/**
 * The status machine: for each target, the statuses it may be reached from.
 * `pending` is only ever the first status; `completed` and `cancelled` are final.
 */
export const ALLOWED_FROM: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending: [],
  confirmed: ['pending'],
  active: ['confirmed'],
  completed: ['active'],
  cancelled: ['pending', 'confirmed', 'active'],
};

/** Final statuses: the booking's room is left by everyone. */
export const isFinal = (status: BookingStatus): boolean => status === 'completed' || status === 'cancelled';
