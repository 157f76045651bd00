import type { EventSource } from '../../core/domain-events.ts';
import type { Logger } from '../../core/logger.ts';
import {
  bookingCancelled, bookingCreated, bookingUpdated, isFinal, paymentAmount, type Booking, type BookingsEvents, type BookingsService,
} from '../../modules/bookings/index.ts';
import type { Delivery } from '../delivery.ts';
import type { SessionHook } from '../sessions.ts';
import { rooms, type LivegateServer } from '../types.ts';

/**
 * Turns bookings-module events into room membership and emits. Joins and
 * leaves go through `io.in(…)`, which the Redis adapter carries to every node.
 *
 * A join or leave travels between nodes separately from an emit, so the
 * booking's first and last events are addressed to the booking room AND the
 * participants' `user:{id}` rooms in one emit (each socket gets it once):
 * a participant on another node gets them even while its join or leave is
 * still in flight. Everything in between goes to the booking room only.
 */
export function deliverBookingEvents(events: EventSource<BookingsEvents>, delivery: Delivery, io: LivegateServer): void {
  const userRooms = (b: Booking) => b.participants.map(rooms.user);

  events.on('booking.created', ({ booking }) => {
    const room = rooms.booking(booking.id);
    io.in(userRooms(booking)).socketsJoin(room);
    delivery.to([room, ...userRooms(booking)], 'booking.created', bookingCreated(booking));
  });

  events.on('booking.status_changed', ({ booking }) => {
    const room = rooms.booking(booking.id);
    if (!isFinal(booking.status)) return delivery.to(room, 'booking.updated', bookingUpdated(booking));
    const to = [room, ...userRooms(booking)];
    if (booking.status === 'cancelled') delivery.to(to, 'booking.cancelled', bookingCancelled(booking));
    else delivery.to(to, 'booking.updated', bookingUpdated(booking));
    io.in(room).socketsLeave(room);
  });

  events.on('booking.payment', ({ payment: p }) => {
    const room = rooms.booking(p.bookingId);
    if (p.status === 'processing') delivery.to(room, 'payment.processing', { bookingId: p.bookingId, paymentId: p.paymentId, amount: paymentAmount(p) });
    else if (p.status === 'completed') delivery.to(room, 'payment.completed', { bookingId: p.bookingId, paymentId: p.paymentId, status: 'completed' });
    else delivery.to(room, 'payment.failed', { bookingId: p.bookingId, paymentId: p.paymentId, error: p.error ?? 'Payment failed' });
  });
}

/** Session hook: a participant's socket joins the room of each of their open bookings as it connects. */
export function joinBookingRoomsOnConnect(bookings: BookingsService, log: Logger): SessionHook {
  return async (socket) => {
    try {
      const ids = await bookings.openBookingIds(socket.data.userId);
      if (ids.length && socket.connected) await socket.join(ids.map(rooms.booking));
    } catch (err) {
      log.warn({ err, userId: socket.data.userId }, 'booking rooms at connect failed');
    }
  };
}
