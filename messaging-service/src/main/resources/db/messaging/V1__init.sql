-- Users are created (upserted) the first time a valid token is seen, or as placeholders when added
-- to a thread before their first login.
CREATE TABLE users (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- last_seq is the seq of the newest message; it only ever grows, by exactly one per committed message.
CREATE TABLE threads (
  id              uuid PRIMARY KEY,
  title           text NOT NULL,
  created_by      text NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  last_seq        bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  last_message_id uuid
);

-- The read marker (last_read_*) is owned by unread-service; unread = threads.last_seq - last_read_seq.
-- The sender's marker moves to each message they send, so their own messages are never unread.
CREATE TABLE thread_members (
  thread_id            uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  user_id              text NOT NULL REFERENCES users (id),
  role                 text NOT NULL CHECK (role IN ('admin', 'member')),
  joined_at            timestamptz NOT NULL,
  last_read_seq        bigint NOT NULL DEFAULT 0 CHECK (last_read_seq >= 0),
  last_read_at         timestamptz,
  last_read_message_id uuid,
  PRIMARY KEY (thread_id, user_id)
);
-- A user's threads (listing, unread badge) without touching the heap for the marker.
CREATE INDEX thread_members_by_user ON thread_members (user_id) INCLUDE (thread_id, last_read_seq);

CREATE TABLE messages (
  id                uuid PRIMARY KEY,
  thread_id         uuid NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
  seq               bigint NOT NULL CHECK (seq >= 1),
  author_id         text NOT NULL REFERENCES users (id),
  body              text NOT NULL,
  client_message_id text,
  created_at        timestamptz NOT NULL,
  attachments       jsonb NOT NULL DEFAULT '[]'::jsonb,
  UNIQUE (thread_id, seq)
);
-- Idempotent sends: one message per (thread, author, clientMessageId).
CREATE UNIQUE INDEX messages_idempotency ON messages (thread_id, author_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
