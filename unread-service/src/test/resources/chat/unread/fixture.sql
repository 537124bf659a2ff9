-- Checks of what the tests did, read straight from the messaging schema.

-- name: recount
-- $1 thread, $2 member: unread counted from the messages themselves (deleted and own ones excluded).
SELECT count(*) AS unread
FROM messages m
JOIN thread_members tm ON tm.thread_id = m.thread_id AND tm.user_id = $2
WHERE m.thread_id = $1 AND m.seq > tm.last_read_seq AND m.author_id <> $2 AND NOT m.deleted

-- name: marker
SELECT last_read_seq, last_read_at FROM thread_members WHERE thread_id = $1 AND user_id = $2

-- name: member-count
SELECT count(*) AS n FROM thread_members WHERE thread_id = $1 AND user_id = $2
