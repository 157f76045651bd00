-- Chat (PROTOCOL.md family F): rooms, members, messages and read receipts.
-- A direct room is keyed by its sorted pair of users, so two concurrent
-- creations of the same pair make one room (ON CONFLICT), never two.
CREATE TABLE chat_rooms (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  type         text NOT NULL CHECK (type IN ('group', 'direct', 'trip')),
  direct_low   text,
  direct_high  text,
  -- Trip rooms: no new messages from this instant on (24 h after the trip ended).
  closes_at    timestamptz,
  created_at   timestamptz NOT NULL,
  CHECK ((type = 'direct') = (direct_low IS NOT NULL AND direct_high IS NOT NULL)),
  CHECK (direct_low IS NULL OR direct_low < direct_high),
  UNIQUE (direct_low, direct_high)
);

CREATE TABLE chat_members (
  room_id    text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
  user_id    text NOT NULL,
  -- Display name known when the member was added (trip rooms); users.name wins when present.
  name       text,
  joined_at  timestamptz NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX chat_members_user ON chat_members (user_id);

-- History is a keyset walk on (room_id, seq DESC): no OFFSET, and a page
-- does not shift while messages arrive. `content` is ciphertext when
-- `key_id` is set (CHAT_ENCRYPTION_KEY), so it has no length check here.
CREATE TABLE chat_messages (
  id           uuid PRIMARY KEY,
  seq          bigserial NOT NULL,
  room_id      text NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
  sender_id    text NOT NULL,
  sender_name  text NOT NULL,
  type         text NOT NULL CHECK (type IN ('text')),
  content      text NOT NULL,
  key_id       text,
  -- A sender's retry with the same tempId stores nothing new (NULLs never conflict).
  temp_id      text,
  created_at   timestamptz NOT NULL,
  UNIQUE (sender_id, temp_id)
);
CREATE INDEX chat_messages_history ON chat_messages (room_id, seq DESC);

CREATE TABLE chat_reads (
  message_id  uuid NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,
  user_id     text NOT NULL,
  read_at     timestamptz NOT NULL,
  PRIMARY KEY (message_id, user_id)
);
