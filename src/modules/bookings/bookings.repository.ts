import { toIso } from '../../core/clock.ts';
import type { Queryable } from '../../storage/index.ts';
import type { Booking, BookingPayment, BookingPaymentStatus, BookingStatus } from './booking-types.ts';

interface BookingRow {
  id: string;
  listing_id: string;
  status: BookingStatus;
  cancel_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  participants: string[] | null;
}
interface PaymentRow {
  payment_id: string;
  booking_id: string;
  amount_minor: string | number;
  status: BookingPaymentStatus;
  error: string | null;
  updated_at: Date | string;
}

const toBooking = (r: BookingRow): Booking => ({
  id: r.id, listingId: r.listing_id, participants: [...(r.participants ?? [])].sort(), status: r.status, cancelReason: r.cancel_reason,
  createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at),
});
const toPayment = (r: PaymentRow): BookingPayment => ({
  bookingId: r.booking_id, paymentId: r.payment_id, amountMinor: Number(r.amount_minor), status: r.status, error: r.error, updatedAt: toIso(r.updated_at),
});

const PARTICIPANTS = '(SELECT array_agg(p.user_id) FROM booking_participants p WHERE p.booking_id = b.id) AS participants';

/** SQL for bookings; the same statements run on PGlite and PostgreSQL. */
export class BookingsRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores the booking and its participants in one statement; null when the id is taken. */
  async create(b: Omit<Booking, 'cancelReason' | 'updatedAt'>): Promise<Booking | null> {
    const { rows } = await this.db.query<{ created: boolean }>(
      `WITH b AS (
         INSERT INTO bookings (id, listing_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz)
         ON CONFLICT (id) DO NOTHING RETURNING id
       ), p AS (
         INSERT INTO booking_participants (booking_id, user_id) SELECT b.id, u FROM b CROSS JOIN unnest($5::text[]) AS u RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM b) AS created`,
      [b.id, b.listingId, b.status, b.createdAt, b.participants],
    );
    return rows[0]?.created ? { ...b, participants: [...b.participants].sort(), cancelReason: null, updatedAt: b.createdAt } : null;
  }

  async get(id: string): Promise<Booking | undefined> {
    const { rows } = await this.db.query<BookingRow>(`SELECT b.*, ${PARTICIPANTS} FROM bookings b WHERE b.id = $1`, [id]);
    return rows[0] && toBooking(rows[0]);
  }

  /**
   * Moves the booking to `status` only if it is in one of `from` — one
   * conditional UPDATE, so of two racing changes exactly one matches (the
   * loser re-checks the row the winner wrote). Undefined when none matched.
   */
  async transition(id: string, from: readonly BookingStatus[], status: BookingStatus, reason: string | null, at: string): Promise<Booking | undefined> {
    const { rows } = await this.db.query<BookingRow>(
      `UPDATE bookings b SET status = $3, cancel_reason = COALESCE($4, b.cancel_reason), updated_at = $5::timestamptz
       WHERE b.id = $1 AND b.status = ANY($2::text[])
       RETURNING b.*, ${PARTICIPANTS}`,
      [id, from, status, reason, at],
    );
    return rows[0] && toBooking(rows[0]);
  }

  /** Ids of the user's bookings whose room is open (at most `limit`, newest first). */
  async openIdsFor(userId: string, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT b.id FROM booking_participants p JOIN bookings b ON b.id = p.booking_id
       WHERE p.user_id = $1 AND b.status IN ('pending', 'confirmed', 'active') ORDER BY b.created_at DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Records a payment report: a new payment, or `processing` becoming
   * `completed`/`failed` (one conditional upsert). Undefined when the payment
   * exists already in a final status or under another booking.
   */
  async recordPayment(p: BookingPayment): Promise<BookingPayment | undefined> {
    const { rows } = await this.db.query<PaymentRow>(
      `INSERT INTO booking_payments (payment_id, booking_id, amount_minor, status, error, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::timestamptz)
       ON CONFLICT (payment_id) DO UPDATE SET status = EXCLUDED.status, error = EXCLUDED.error, amount_minor = EXCLUDED.amount_minor, updated_at = EXCLUDED.updated_at
       WHERE booking_payments.booking_id = EXCLUDED.booking_id AND booking_payments.status = 'processing' AND EXCLUDED.status <> 'processing'
       RETURNING *`,
      [p.paymentId, p.bookingId, p.amountMinor, p.status, p.error, p.updatedAt],
    );
    return rows[0] && toPayment(rows[0]);
  }
}
