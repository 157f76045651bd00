/**
 * The bookings module (PROTOCOL.md family G, seed 002): bookings, their
 * participants, the status machine and payment reports. Other code uses
 * only what is exported here.
 */
import type { Clock } from '../../core/clock.ts';
import type { Publisher } from '../../core/domain-events.ts';
import type { Queryable } from '../../storage/index.ts';
import type { BookingsEvents } from './bookings-events.ts';
import { BookingsRepository } from './bookings.repository.ts';
import { BookingsService } from './bookings.service.ts';

export type { BookingsEvents } from './bookings-events.ts';
export type { Booking, BookingPayment } from './booking-types.ts';
export { isFinal, ALLOWED_FROM } from './booking-types.ts';
export { BookingsService } from './bookings.service.ts';
export { bookingView, bookingCreated, bookingUpdated, bookingCancelled, paymentView, paymentAmount } from './bookings-payloads.ts';

export interface BookingsModuleDeps {
  db: Queryable;
  events: Publisher<BookingsEvents>;
  clock: Clock;
}

export function createBookingsModule(deps: BookingsModuleDeps): BookingsService {
  return new BookingsService({ repo: new BookingsRepository(deps.db), events: deps.events, clock: deps.clock });
}
