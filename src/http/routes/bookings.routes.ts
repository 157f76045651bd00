import { z } from 'zod';
import { bookingView, paymentView, type BookingsService } from '../../modules/bookings/index.ts';
import {
  bookingBody, bookingPaymentBody, bookingPaymentResult, createBookingBody, patchBookingBody,
} from '../../protocol/families/bookings.ts';
import { errorBody } from '../../protocol/http.ts';
import { id } from '../../protocol/schemas.ts';
import type { requireRole } from '../auth.ts';
import type { HttpApp } from '../server.ts';

const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody };
const params = z.object({ id });

/** POST /api/bookings, GET and PATCH /api/bookings/:id, POST /api/bookings/:id/payments (admin or service). */
export function registerBookingsRoutes(app: HttpApp, deps: { bookings: BookingsService; guard: ReturnType<typeof requireRole> }): void {
  const { bookings, guard } = deps;
  app.post('/api/bookings', {
    preHandler: guard,
    schema: {
      tags: ['bookings'],
      summary: 'Create a booking; its participants\' sockets join `booking:{id}` at once (every node), then `booking.created` goes out. A taken id is 409 CONFLICT',
      body: createBookingBody,
      response: { 201: bookingBody, ...errors },
    },
  }, async (req, reply) => {
    reply.code(201);
    return { booking: bookingView(await bookings.create(req.body)) };
  });

  app.get('/api/bookings/:id', {
    preHandler: guard,
    schema: { tags: ['bookings'], summary: 'A booking with its participants', params, response: { 200: bookingBody, ...errors } },
  }, async (req) => ({ booking: bookingView(await bookings.get(req.params.id)) }));

  app.patch('/api/bookings/:id', {
    preHandler: guard,
    schema: {
      tags: ['bookings'],
      summary: 'Change the status: pending → confirmed → active → completed, or cancelled from any but completed (with an optional reason); anything else is 409 INVALID_STATE. Completed and cancelled bookings\' rooms are left',
      params,
      body: patchBookingBody,
      response: { 200: bookingBody, ...errors },
    },
  }, async (req) => ({ booking: bookingView(await bookings.changeStatus(req.params.id, req.body)) }));

  app.post('/api/bookings/:id/payments', {
    preHandler: guard,
    schema: {
      tags: ['bookings'],
      summary: 'Report a payment of the booking: `processing`, then `completed` or `failed` (final); sends `payment.processing`, `payment.completed` or `payment.failed` to `booking:{id}`',
      params,
      body: bookingPaymentBody,
      response: { 200: bookingPaymentResult, ...errors },
    },
  }, async (req) => ({ payment: paymentView(await bookings.recordPayment(req.params.id, req.body)) }));
}
