-- Edits, deletes and versioned catch-up.
--
-- threads.version is a second gap-free per-thread sequence: every change in the thread (a send, an
-- edit, a delete) bumps it by exactly one while holding the thread row's lock until commit, so
-- versions become visible in order. messages.version is the version of the message's latest change: a
-- client that reads every message above the version it has seen, in version order, ends with the
-- store's state. Until now the only change was the send, so existing rows start with version = seq.
ALTER TABLE threads ADD COLUMN version bigint NOT NULL DEFAULT 0 CHECK (version >= 0);
-- The seqs of the thread's deleted messages, ascending; written by the delete statement in the same
-- transaction that makes the tombstone (see unread_count below for why it lives on the thread).
ALTER TABLE threads ADD COLUMN deleted_seqs bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE messages ADD COLUMN version bigint NOT NULL DEFAULT 0,
                     ADD COLUMN edited_at timestamptz,
                     ADD COLUMN deleted boolean NOT NULL DEFAULT false;
UPDATE threads SET version = last_seq WHERE version <> last_seq;
UPDATE messages SET version = seq WHERE version <> seq;

-- changedAfter reads a thread's messages by version; unique, so no version is ever handed out twice.
CREATE UNIQUE INDEX messages_by_version ON messages (thread_id, version);

-- The one definition of unread from now on (V4's three-argument form below delegates here): the
-- messages above the member's marker up to the thread's last_seq, less the deleted ones among them. A
-- member's own messages are at or below their marker (the send moves it), so they never count.
--
-- It takes the thread's row, so a later rule can use any column of the thread without touching a
-- caller. The deleted messages above a marker are counted from threads.deleted_seqs by binary search
-- (width_bucket: how many of the sorted seqs are <= the marker), a plain expression that the planner
-- inlines into each caller's primary-key probe of threads. Counting them from messages instead needs a
-- subquery, which Postgres never inlines: a function call or an index probe per membership made the
-- badge several times slower (docs/performance.md).
CREATE FUNCTION unread_count(t threads, last_read_seq bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT GREATEST(t.last_seq - last_read_seq
                      - (cardinality(t.deleted_seqs) - width_bucket(last_read_seq, t.deleted_seqs)), 0) $$;

COMMENT ON FUNCTION unread_count(threads, bigint) IS
  'Unread messages of a member in a thread: those above the member''s last_read_seq, deleted ones excluded.';

-- V4's form, for any caller still passing the thread's id: the same rule, read from the thread's row
-- (its last_seq argument is the row's, as every caller passed). Not inlined (it reads a table); our
-- own statements call the form above.
CREATE OR REPLACE FUNCTION unread_count(thread_id uuid, last_seq bigint, last_read_seq bigint)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT unread_count(t, last_read_seq) FROM threads t WHERE t.id = thread_id $$;

COMMENT ON FUNCTION unread_count(uuid, bigint, bigint) IS
  'Deprecated form of unread_count(threads, bigint), kept for callers of the previous release.';
