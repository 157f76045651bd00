-- Emergency alerts (family E). Acknowledging is one
-- conditional update (`WHERE acknowledged_at IS NULL`), so two admins racing
-- produce one acknowledgement and one `emergency_alert:acknowledged`.
CREATE TABLE alerts (
  id                 uuid PRIMARY KEY,
  source             text NOT NULL CHECK (source IN ('socket', 'api')),
  severity           text NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  title              text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  message            text NOT NULL CHECK (char_length(message) <= 2000),
  latitude           double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude          double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  address            text,
  -- The reporter (panic button) or the user the backend reports about.
  user_id            text,
  -- The caller's identity (a socket's user, an HTTP token's sub).
  raised_by          text NOT NULL,
  vehicle_id         text,
  -- Only a trip the reporter is a party of; anything else is kept apart and never routes.
  trip_id            uuid,
  unverified_trip_id uuid,
  auto_expire        boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  acknowledged_by    text,
  acknowledged_at    timestamptz,
  CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
-- What admins who connect later are sent again.
CREATE INDEX alerts_open ON alerts (created_at DESC) WHERE acknowledged_at IS NULL;
CREATE INDEX alerts_created ON alerts (created_at DESC);
