-- Users: profiles known to the gateway. Ids are the JWT `sub`.
CREATE TABLE users (
  id            text PRIMARY KEY,
  role          text NOT NULL CHECK (role IN ('passenger', 'driver', 'admin', 'user', 'service')),
  name          text NOT NULL,
  phone         text,
  rating        numeric(3, 2) CHECK (rating >= 0 AND rating <= 5),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'inactive')),
  status_reason text,
  vehicle       jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_role_idx ON users (role);
