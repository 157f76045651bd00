-- Geofences (circle or GeoJSON polygon ring, [lng, lat] pairs) and, per
-- subject ('driver:{id}' / 'vehicle:{id}'), whether it is inside. A crossing is
-- reported only by the node whose conditional upsert flips `inside`, so two
-- nodes seeing the same move never both announce it. No row = outside.
CREATE TABLE geofences (
  id         uuid PRIMARY KEY,
  name       text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('circle', 'polygon')),
  center_lat double precision,
  center_lon double precision,
  radius_m   double precision,
  polygon    jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'circle' AND center_lat IS NOT NULL AND center_lon IS NOT NULL AND radius_m > 0 AND polygon IS NULL)
      OR (kind = 'polygon' AND polygon IS NOT NULL AND center_lat IS NULL))
);

CREATE TABLE geofence_presence (
  subject     text NOT NULL,
  geofence_id uuid NOT NULL REFERENCES geofences (id) ON DELETE CASCADE,
  inside      boolean NOT NULL,
  changed_at  timestamptz NOT NULL,
  PRIMARY KEY (subject, geofence_id)
);
CREATE INDEX geofence_presence_geofence_idx ON geofence_presence (geofence_id);
