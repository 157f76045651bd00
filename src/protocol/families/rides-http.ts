import { z } from 'zod';
import { text } from '../schemas.ts';
import { CANCELLED_BY, PAYMENT_METHODS, TRIP_STATUSES, TRIP_TYPES, type TripSummary } from './rides.ts';

/** HTTP shapes of family A (`GET /api/trips/:id`, `POST /api/trips/:id/cancel`), shared by the routes and the OpenAPI document. */
const place = z.object({ address: z.string(), latitude: z.number(), longitude: z.number() });
const at = z.string().nullable();

export const tripSummaryBody = z.object({
  id: z.string(),
  status: z.enum(TRIP_STATUSES),
  passengerId: z.string(),
  driverId: z.string().nullable(),
  tripType: z.enum(TRIP_TYPES),
  paymentMethod: z.enum(PAYMENT_METHODS),
  pickup: place,
  dropoff: place,
  notes: z.string().nullable(),
  estimatedFare: z.number().describe('decimal, two places'),
  estimatedDistance: z.number().describe('kilometres'),
  estimatedDuration: z.number().describe('minutes'),
  actualFare: z.number().nullable(),
  actualDistance: z.number().nullable(),
  actualDuration: z.number().nullable(),
  paymentStatus: z.enum(['pending', 'processing', 'completed', 'failed']).nullable(),
  requestedAt: z.string(),
  acceptedAt: at,
  arrivedAt: at,
  startedAt: at,
  completedAt: at,
  cancelledAt: at,
  cancelledBy: z.enum(CANCELLED_BY).nullable(),
  cancelReason: z.string().nullable(),
  expiredAt: at,
  updatedAt: z.string(),
});

export const tripStatusChangeBody = z.object({
  from: z.enum(TRIP_STATUSES).nullable(),
  to: z.enum(TRIP_STATUSES),
  actorRole: z.string(),
  actorId: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string(),
});

export const tripWithHistoryBody = tripSummaryBody.extend({ statusHistory: z.array(tripStatusChangeBody) });
export const cancelTripBody = z.object({ reason: text().trim().max(500).default('') });

// The wire interface and the HTTP schema describe the same object.
export const tripSummaryMatches: z.output<typeof tripSummaryBody> extends TripSummary ? (TripSummary extends z.output<typeof tripSummaryBody> ? true : never) : never = true;
