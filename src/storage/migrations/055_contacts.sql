-- Contacts (PROTOCOL.md family F): whose presence a user sees. The relation is
-- symmetric and stored in both directions, so "the contacts of X" is one index
-- range whichever side listed the other; a write replaces both directions in
-- one transaction. Presence itself is never stored here (shared state only).
CREATE TABLE contacts (
  user_id     text NOT NULL,
  contact_id  text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, contact_id),
  CHECK (user_id <> contact_id)
);
