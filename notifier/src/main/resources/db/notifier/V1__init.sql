-- The notifier's own state, in its own schema (nothing of the chat's tables is read here).
-- thread_cursors: per thread, the last message seq the notifier has turned into notifications, and a
-- member it reads the thread as (the service API acts as a member). A restart resumes from last_seq.
CREATE TABLE thread_cursors (
  thread_id  uuid PRIMARY KEY,
  last_seq   bigint NOT NULL CHECK (last_seq >= 0),
  actor_id   text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- notifications: one row per member, thread and delay window; it covers the messages first_seq..last_seq.
-- A row is open (new messages of the thread join it) until its first delivery attempt; it ends delivered
-- (delivered_at) or dropped (dropped_at, outcome says why: read, present, left). delivery_id is fixed at
-- creation, so every retry of one notification carries the same id.
CREATE TABLE notifications (
  id              bigserial PRIMARY KEY,
  delivery_id     uuid NOT NULL UNIQUE,
  user_id         text NOT NULL,
  thread_id       uuid NOT NULL,
  first_seq       bigint NOT NULL,
  last_seq        bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  due_at          timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at    timestamptz,
  dropped_at      timestamptz,
  outcome         text,
  last_error      text
);
-- At most one open window per member and thread: the ingest's upsert targets it.
CREATE UNIQUE INDEX notifications_open ON notifications (user_id, thread_id)
  WHERE attempts = 0 AND delivered_at IS NULL AND dropped_at IS NULL;
-- The dispatcher's scan for due rows.
CREATE INDEX notifications_due ON notifications (next_attempt_at)
  WHERE delivered_at IS NULL AND dropped_at IS NULL;
