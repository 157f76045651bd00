-- Fleet vehicles (seed 001). The current position and the low-fuel alarm are
-- columns changed only by conditional updates: a position only moves forward
-- in time, and `low_fuel_alerted` flips once per crossing (hysteresis).
CREATE TABLE vehicles (
  id               text PRIMARY KEY,
  plate_number     text NOT NULL UNIQUE,
  type             text NOT NULL DEFAULT 'sedan',
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'idle', 'maintenance', 'inactive')),
  -- At most one vehicle per driver.
  driver_id        text UNIQUE,
  fuel_level       double precision CHECK (fuel_level BETWEEN 0 AND 100),
  low_fuel_alerted boolean NOT NULL DEFAULT false,
  latitude         double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude        double precision CHECK (longitude BETWEEN -180 AND 180),
  speed            real,
  heading          real,
  located_at       timestamptz,
  -- Newest telemetry applied; an older report changes no current state.
  telemetry_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vehicles_status_idx ON vehicles (status);
