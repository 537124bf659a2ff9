-- name: cursor
-- $1 thread. Its cursor, if the notifier has seen the thread.
SELECT last_seq, actor_id FROM thread_cursors WHERE thread_id = $1;

-- name: cursors
-- Every thread the notifier knows, for the catch-up at start.
SELECT thread_id, actor_id FROM thread_cursors ORDER BY thread_id;

-- name: init_cursor
-- $1 thread, $2 seq to start after, $3 a member. A thread seen for the first time; a known one is kept.
INSERT INTO thread_cursors (thread_id, last_seq, actor_id) VALUES ($1, $2, $3) ON CONFLICT (thread_id) DO NOTHING;

-- name: lock_cursor
-- $1 thread. Serialises the ingest of one thread across replicas: each message is turned into
-- notifications once.
SELECT last_seq FROM thread_cursors WHERE thread_id = $1 FOR UPDATE;

-- name: advance_cursor
-- $1 thread, $2 new last seq, $3 the member it was read as.
UPDATE thread_cursors SET last_seq = GREATEST(last_seq, $2), actor_id = $3, updated_at = now() WHERE thread_id = $1;

-- name: open_window
-- $1 new delivery id, $2 member, $3 thread, $4 first and $5 last seq, $6 delay in seconds. Opens the
-- member's window on the thread, or widens the open one (it keeps its due time and delivery id).
INSERT INTO notifications (delivery_id, user_id, thread_id, first_seq, last_seq, due_at, next_attempt_at)
VALUES ($1, $2, $3, $4, $5, now() + $6::int * interval '1 second', now() + $6::int * interval '1 second')
ON CONFLICT (user_id, thread_id) WHERE attempts = 0 AND delivered_at IS NULL AND dropped_at IS NULL
DO UPDATE SET last_seq = GREATEST(notifications.last_seq, EXCLUDED.last_seq),
              first_seq = LEAST(notifications.first_seq, EXCLUDED.first_seq);

-- name: drop_read
-- $1 member, $2 thread, $3 their new read seq. Open windows they have read entirely end here.
UPDATE notifications SET dropped_at = now(), outcome = 'read'
WHERE user_id = $1 AND thread_id = $2 AND last_seq <= $3
  AND attempts = 0 AND delivered_at IS NULL AND dropped_at IS NULL;

-- name: drop_left
-- $1 member, $2 thread: they left, nothing more is due to them there.
UPDATE notifications SET dropped_at = now(), outcome = 'left'
WHERE user_id = $1 AND thread_id = $2 AND delivered_at IS NULL AND dropped_at IS NULL;

-- name: claim_due
-- $1 batch size. Due rows, locked for this transaction; SKIP LOCKED: another replica's rows are passed
-- over, never waited for, so no row is delivered by two replicas at once.
SELECT id, delivery_id, user_id, thread_id, first_seq, last_seq, attempts
FROM notifications
WHERE delivered_at IS NULL AND dropped_at IS NULL AND next_attempt_at <= now()
ORDER BY next_attempt_at
LIMIT $1::int
FOR UPDATE SKIP LOCKED;

-- name: delivered
-- $1 row id.
UPDATE notifications SET delivered_at = now(), attempts = attempts + 1, outcome = 'delivered', last_error = NULL
WHERE id = $1;

-- name: dropped
-- $1 row id, $2 why.
UPDATE notifications SET dropped_at = now(), outcome = $2 WHERE id = $1;

-- name: failed
-- $1 row id, $2 seconds until the next attempt, $3 the error.
UPDATE notifications SET attempts = attempts + 1, next_attempt_at = now() + $2::bigint * interval '1 second', last_error = $3
WHERE id = $1;
