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
 * `booking.*` events go to the participants' durable streams (every socket
 * of each participant, `_seq`, resumable, whatever the room joins in flight)
 * and, plain, to other sockets in the booking room; so do the booking's
 * `payment.*` events.
 */
export function deliverBookingEvents(events: EventSource<BookingsEvents>, delivery: Delivery, io: LivegateServer): void {
  const userRooms = (b: Booking) => b.participants.map(rooms.user);

  events.on('booking.created', ({ booking }) => {
    const room = rooms.booking(booking.id);
    io.in(userRooms(booking)).socketsJoin(room);
    void delivery.durable(booking.participants, 'booking.created', bookingCreated(booking), { watchers: [room] });
  });

  events.on('booking.status_changed', ({ booking }) => {
    const room = rooms.booking(booking.id);
    const watchers = { watchers: [room] };
    if (!isFinal(booking.status)) return void delivery.durable(booking.participants, 'booking.updated', bookingUpdated(booking), watchers);
    if (booking.status === 'cancelled') void delivery.durable(booking.participants, 'booking.cancelled', bookingCancelled(booking), watchers);
    else void delivery.durable(booking.participants, 'booking.updated', bookingUpdated(booking), watchers);
    io.in(room).socketsLeave(room);
  });

  events.on('booking.payment', ({ payment: p, participants }) => {
    const watchers = { watchers: [rooms.booking(p.bookingId)] };
    if (p.status === 'processing') void delivery.durable(participants, 'payment.processing', { bookingId: p.bookingId, paymentId: p.paymentId, amount: paymentAmount(p) }, watchers);
    else if (p.status === 'completed') void delivery.durable(participants, 'payment.completed', { bookingId: p.bookingId, paymentId: p.paymentId, status: 'completed' }, watchers);
    else void delivery.durable(participants, 'payment.failed', { bookingId: p.bookingId, paymentId: p.paymentId, error: p.error ?? 'Payment failed' }, watchers);
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
