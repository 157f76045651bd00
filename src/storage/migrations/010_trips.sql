-- Trips, their status history and dispatch offers (family A).
-- Invariants live here, not in application code: one active trip per
-- passenger, one active trip per driver, one offer per driver per trip, a
-- driver on every assigned trip. Deadlines (wave_expires_at,
-- search_expires_at, expires_at) are what any node's sweeper claims.
CREATE TABLE trips (
  id                    uuid PRIMARY KEY,
  status                text NOT NULL CHECK (status IN ('searching_driver', 'accepted', 'driver_arrived', 'in_progress', 'completed', 'cancelled', 'expired')),
  previous_status       text,
  passenger_id          text NOT NULL,
  -- Display name at request time (profile, else the token's name), for offers made by any node later.
  passenger_name        text NOT NULL,
  driver_id             text,
  trip_type             text NOT NULL CHECK (trip_type IN ('standard', 'premium', 'shared', 'delivery')),
  payment_method        text NOT NULL CHECK (payment_method IN ('wallet', 'cash', 'ebs', 'cyberpay')),
  pickup_address        text NOT NULL,
  pickup_lat            double precision NOT NULL CHECK (pickup_lat BETWEEN -90 AND 90),
  pickup_lng            double precision NOT NULL CHECK (pickup_lng BETWEEN -180 AND 180),
  dropoff_address       text NOT NULL,
  dropoff_lat           double precision NOT NULL CHECK (dropoff_lat BETWEEN -90 AND 90),
  dropoff_lng           double precision NOT NULL CHECK (dropoff_lng BETWEEN -180 AND 180),
  notes                 text,
  client_estimated_fare_minor integer,
  estimated_fare_minor  integer NOT NULL CHECK (estimated_fare_minor >= 0),
  estimated_distance_m  integer NOT NULL CHECK (estimated_distance_m >= 0),
  estimated_duration_s  integer NOT NULL CHECK (estimated_duration_s >= 0),
  -- Dispatch: the current wave and when it may be widened; the search deadline.
  wave                  integer NOT NULL DEFAULT 0,
  wave_expires_at       timestamptz,
  search_expires_at     timestamptz NOT NULL,
  accept_eta_min        integer,
  accept_lat            double precision,
  accept_lng            double precision,
  actual_fare_minor     integer CHECK (actual_fare_minor >= 0),
  actual_distance_m     integer CHECK (actual_distance_m >= 0),
  actual_duration_s     integer CHECK (actual_duration_s >= 0),
  reported_distance_m   integer,
  payment_status        text CHECK (payment_status IN ('pending', 'processing', 'completed', 'failed')),
  requested_at          timestamptz NOT NULL,
  accepted_at           timestamptz,
  arrived_at            timestamptz,
  started_at            timestamptz,
  completed_at          timestamptz,
  cancelled_at          timestamptz,
  cancelled_by          text CHECK (cancelled_by IN ('passenger', 'driver', 'admin', 'system')),
  cancel_reason         text,
  expired_at            timestamptz,
  updated_at            timestamptz NOT NULL,
  CHECK (status NOT IN ('accepted', 'driver_arrived', 'in_progress', 'completed') OR driver_id IS NOT NULL),
  CHECK (status <> 'searching_driver' OR driver_id IS NULL)
);

-- "At most one active trip" is this index, not a read before the insert.
CREATE UNIQUE INDEX trips_one_active_per_passenger ON trips (passenger_id)
  WHERE status IN ('searching_driver', 'accepted', 'driver_arrived', 'in_progress');
-- A driver holds one trip at a time; a racing second accept fails here.
CREATE UNIQUE INDEX trips_one_active_per_driver ON trips (driver_id)
  WHERE status IN ('accepted', 'driver_arrived', 'in_progress');
-- What the sweeper scans.
CREATE INDEX trips_due_wave ON trips (wave_expires_at) WHERE status = 'searching_driver';
CREATE INDEX trips_due_search ON trips (search_expires_at) WHERE status = 'searching_driver';
CREATE INDEX trips_passenger ON trips (passenger_id, requested_at DESC);

CREATE TABLE trip_status_history (
  id          bigserial PRIMARY KEY,
  trip_id     uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
  from_status text,
  to_status   text NOT NULL,
  actor_role  text NOT NULL CHECK (actor_role IN ('passenger', 'driver', 'admin', 'service', 'system')),
  actor_id    text,
  reason      text,
  at          timestamptz NOT NULL,
  -- The state machine has no cycles: each status is entered at most once.
  UNIQUE (trip_id, to_status)
);

CREATE TABLE trip_offers (
  trip_id       uuid NOT NULL REFERENCES trips (id) ON DELETE CASCADE,
  driver_id     text NOT NULL,
  wave          integer NOT NULL,
  distance_m    integer NOT NULL,
  offered_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  -- offered → accepted | rejected | expired (unanswered in time) | closed (the trip was taken, cancelled or expired)
  status        text NOT NULL DEFAULT 'offered' CHECK (status IN ('offered', 'accepted', 'rejected', 'expired', 'closed')),
  answered_at   timestamptz,
  reject_reason text,
  PRIMARY KEY (trip_id, driver_id)
);
CREATE INDEX trip_offers_open ON trip_offers (trip_id) WHERE status = 'offered';
