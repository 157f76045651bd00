-- Each node reads who is inside which geofence in one query per refresh;
-- rows of subjects that left stay (inside = false) and are not read.
CREATE INDEX geofence_presence_inside_idx ON geofence_presence (subject, geofence_id) WHERE inside;
