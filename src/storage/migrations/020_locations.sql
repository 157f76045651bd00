-- Location history: one row per accepted fix, written in batches (multi-row
-- INSERT … SELECT FROM unnest). A driver's fix while the driver is assigned to
-- a vehicle carries both ids, so one row serves both histories. Append-only:
-- no primary key to maintain; range queries use the partial composite indexes.
CREATE TABLE location_history (
  driver_id   text,
  vehicle_id  text,
  recorded_at timestamptz NOT NULL,
  latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  heading     real,
  speed       real,
  accuracy    real,
  altitude    real,
  CHECK (driver_id IS NOT NULL OR vehicle_id IS NOT NULL)
);
CREATE INDEX location_history_driver_idx ON location_history (driver_id, recorded_at) WHERE driver_id IS NOT NULL;
CREATE INDEX location_history_vehicle_idx ON location_history (vehicle_id, recorded_at) WHERE vehicle_id IS NOT NULL;
-- Tiny (a few pages per million rows) and enough for a retention job's range delete.
CREATE INDEX location_history_recorded_brin ON location_history USING brin (recorded_at);
