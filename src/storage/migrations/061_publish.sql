-- What backends publish (POST /api/publish, POST /webhooks/:source).
--
-- Idempotency keys with Stripe's semantics, per caller (the token's subject):
-- a request claims its key with one INSERT … ON CONFLICT (atomic on every
-- node); the answer is stored once delivered, and a retry with the same body
-- gets it back without a second delivery. A key older than 24 hours may be
-- claimed again; older rows are purged.
CREATE TABLE publish_requests (
  principal    text NOT NULL,
  key          text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
  body_hash    text NOT NULL,
  -- NULL while the first request is still delivering.
  response     jsonb,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
CREATE INDEX publish_requests_created ON publish_requests (created_at);

-- Webhook event ids already taken, per source: a replayed delivery is
-- answered `{ duplicate: true }` and not broadcast again. Kept 7 days
-- (senders retry for days with fresh signatures).
CREATE TABLE webhook_events (
  source       text NOT NULL,
  event_id     text NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 200),
  type         text NOT NULL,
  received_at  timestamptz NOT NULL,
  PRIMARY KEY (source, event_id)
);
CREATE INDEX webhook_events_received ON webhook_events (received_at);
