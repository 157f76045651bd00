-- Durable per-user event streams (PROTOCOL.md §6): what a user must still
-- get after a reconnect is appended here before it is emitted.
--
-- A user's position is `stream_heads.seq`, bumped by the append itself
-- (INSERT … ON CONFLICT DO UPDATE): the head row's lock makes a user's commit
-- order equal their seq order, on every node. An event is stored once in
-- `stream_events` however many users it reaches; `stream_entries` numbers it
-- in each recipient's stream. No foreign key: the purge deletes both by
-- `created_at` (an entry and its event share the append's timestamp), and a
-- read joins them.
CREATE TABLE stream_heads (
  user_id  text PRIMARY KEY,
  seq      bigint NOT NULL
);

CREATE TABLE stream_events (
  id          bigserial PRIMARY KEY,
  event       text NOT NULL,
  -- The wire payload as sent (json keeps its text; nothing queries inside it).
  payload     json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_events_created ON stream_events (created_at);

CREATE TABLE stream_entries (
  user_id     text NOT NULL,
  seq         bigint NOT NULL,
  event_id    bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, seq)
);
CREATE INDEX stream_entries_created ON stream_entries (created_at);
