-- Bookings (PROTOCOL.md family G, seed 002). Created and moved through their
-- statuses by the HTTP API. A status change is one conditional UPDATE
-- (... WHERE status = ANY(allowed)), so two racing changes cannot both win.
CREATE TABLE bookings (
  -- Callers may bring their own id (the marketplace's); otherwise a UUID.
  id             text PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
  listing_id     text NOT NULL CHECK (char_length(listing_id) BETWEEN 1 AND 128),
  status         text NOT NULL CHECK (status IN ('pending', 'confirmed', 'active', 'completed', 'cancelled')),
  cancel_reason  text CHECK (char_length(cancel_reason) <= 500),
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);

CREATE TABLE booking_participants (
  booking_id  text NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  user_id     text NOT NULL,
  PRIMARY KEY (booking_id, user_id)
);
-- A connecting user's open bookings (the room joins at connect).
CREATE INDEX booking_participants_user ON booking_participants (user_id);

-- The booking's payments as the marketplace reports them: `processing` may
-- become `completed` or `failed`; those two are final.
CREATE TABLE booking_payments (
  payment_id    text PRIMARY KEY CHECK (char_length(payment_id) BETWEEN 1 AND 128),
  booking_id    text NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  amount_minor  bigint NOT NULL CHECK (amount_minor >= 0),
  status        text NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
  error         text,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX booking_payments_booking ON booking_payments (booking_id);
