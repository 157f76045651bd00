-- Notifications (family D). A notification is stored
-- once; each recipient has an inbox row with its own read state, so a bulk
-- send is one notification row plus one multi-row insert of recipients, and
-- one emit carries the same id to everybody. Broadcasts are not stored.
CREATE TABLE notifications (
  id          uuid PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('info', 'warning', 'error', 'success')),
  title       text NOT NULL CHECK (char_length(title) <= 200),
  message     text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 2000),
  data        jsonb NOT NULL DEFAULT '{}'::jsonb,
  actions     jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- A sender's retry (or a replayed domain event) with the same key creates nothing.
  dedupe_key  text UNIQUE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz,
  CHECK (expires_at IS NULL OR expires_at > created_at)
);

CREATE TABLE notification_recipients (
  user_id          text NOT NULL,
  notification_id  uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  -- Inbox order and the list cursor: newest first, stable within one millisecond.
  seq              bigserial NOT NULL,
  read_at          timestamptz,
  PRIMARY KEY (user_id, notification_id)
);
CREATE INDEX notification_recipients_inbox ON notification_recipients (user_id, seq DESC);
CREATE INDEX notification_recipients_unread ON notification_recipients (user_id) WHERE read_at IS NULL;
CREATE INDEX notification_recipients_notification ON notification_recipients (notification_id);

-- Push calls for recipients without a live socket (PUSH_WEBHOOK_URL). A row is
-- written with the inbox row (when push is on), so a node dying before the
-- call loses nothing. Any node claims due rows with a conditional update
-- ('pending' → 'sending', attempts + 1, next_attempt_at = lease end); a claim
-- whose node died is due again when its lease ends. `attempts` fences the
-- result: only the claim that is still current may record it.
CREATE TABLE push_deliveries (
  notification_id  uuid NOT NULL,
  user_id          text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'expired')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL,
  last_error       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  PRIMARY KEY (notification_id, user_id),
  FOREIGN KEY (user_id, notification_id) REFERENCES notification_recipients (user_id, notification_id) ON DELETE CASCADE
);
CREATE INDEX push_deliveries_due ON push_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX push_deliveries_finished ON push_deliveries (updated_at) WHERE status NOT IN ('pending', 'sending');
