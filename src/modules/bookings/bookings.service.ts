import { randomUUID } from 'node:crypto';
import { isoNow, type Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import { AppError } from '../../core/errors.ts';
import type { CreateBookingBody, PatchBookingBody, BookingPaymentBody } from '../../protocol/families/bookings.ts';
import type { Booking, BookingPayment } from './booking-types.ts';
import { ALLOWED_FROM } from './booking-types.ts';
import type { BookingsEvents } from './bookings-events.ts';
import type { BookingsRepository } from './bookings.repository.ts';

/** Most open bookings whose rooms a connecting socket joins. */
export const MAX_ROOMS_AT_CONNECT = 500;

export interface BookingsServiceDeps {
  repo: BookingsRepository;
  events: Publisher<BookingsEvents>;
  clock: Clock;
}

/** Bookings and their status machine; reports what happened, knows nothing about sockets. */
export class BookingsService {
  constructor(private readonly deps: BookingsServiceDeps) {}

  async create(input: CreateBookingBody): Promise<Booking> {
    const booking = await this.deps.repo.create({
      id: input.id ?? randomUUID(), listingId: input.listingId, participants: input.participants, status: input.status, createdAt: isoNow(this.deps.clock),
    });
    if (!booking) throw new AppError('CONFLICT', 'A booking with this id exists already');
    this.deps.events.publish('booking.created', { booking });
    return booking;
  }

  async get(id: string): Promise<Booking> {
    const booking = await this.deps.repo.get(id);
    if (!booking) throw new AppError('NOT_FOUND', 'No such booking');
    return booking;
  }

  /** One status change; `INVALID_STATE` when the status machine does not allow it from the current status. */
  async changeStatus(id: string, change: PatchBookingBody): Promise<Booking> {
    const reason = change.status === 'cancelled' ? (change.reason ?? '') : null;
    const booking = await this.deps.repo.transition(id, ALLOWED_FROM[change.status], change.status, reason, isoNow(this.deps.clock));
    if (!booking) {
      const current = await this.get(id);
      throw new AppError('INVALID_STATE', `A ${current.status} booking cannot become ${change.status}`, { status: current.status });
    }
    this.deps.events.publish('booking.status_changed', { booking });
    return booking;
  }

  /** A payment report from the marketplace: `processing`, then `completed` or `failed`. */
  async recordPayment(bookingId: string, report: BookingPaymentBody): Promise<BookingPayment> {
    const { participants } = await this.get(bookingId);
    const payment = await this.deps.repo.recordPayment({
      bookingId, paymentId: report.paymentId, amountMinor: Math.round(report.amount * 100), status: report.status,
      error: report.status === 'failed' ? (report.error ?? 'Payment failed') : null, updatedAt: isoNow(this.deps.clock),
    });
    if (!payment) throw new AppError('INVALID_STATE', 'This payment is final already, belongs to another booking, or is processing already');
    this.deps.events.publish('booking.payment', { payment, participants });
    return payment;
  }

  /** The bookings whose rooms a participant's socket joins at connect. */
  openBookingIds(userId: string): Promise<string[]> {
    return this.deps.repo.openIdsFor(userId, MAX_ROOMS_AT_CONNECT);
  }
}
