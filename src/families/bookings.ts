import { DomainEvents } from '../core/domain-events.ts';
import { registerBookingsRoutes } from '../http/routes/bookings.routes.ts';
import { createBookingsModule, type BookingsEvents, type BookingsService } from '../modules/bookings/index.ts';
import { deliverBookingEvents, joinBookingRoomsOnConnect } from '../realtime/bookings/delivery.ts';
import type { FamilyContext } from './context.ts';

/**
 * Family G, bookings: created and moved through their statuses over HTTP;
 * participants' sockets are in `booking:{id}` while the booking is open.
 */
export function attachBookings(ctx: FamilyContext): BookingsService {
  const events = new DomainEvents<BookingsEvents>(ctx.log);
  const bookings = createBookingsModule({ db: ctx.db, events, clock: ctx.clock });
  deliverBookingEvents(events, ctx.delivery, ctx.io);
  ctx.onAuthenticated(joinBookingRoomsOnConnect(bookings, ctx.log));
  registerBookingsRoutes(ctx.http, { bookings, guard: ctx.guards.staff });
  return bookings;
}
