-- Test data written the way messaging-service writes it (mirrors its create and send statements).

-- name: user
INSERT INTO users (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING

-- name: thread
INSERT INTO threads (id, title, created_by, created_at, updated_at) VALUES ($1, 'test', $2, now(), now())

-- name: member
INSERT INTO thread_members (thread_id, user_id, role, joined_at) VALUES ($1, $2, $3, now())

-- name: send
-- $1 thread, $2 author, $3 message id: one statement, like messaging-service's send.
WITH bumped AS (
  UPDATE threads
  SET last_seq = last_seq + 1, updated_at = now(), last_message_id = $3::uuid
  WHERE id = $1::uuid
    AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
  RETURNING last_seq
), inserted AS (
  INSERT INTO messages (id, thread_id, seq, author_id, body, created_at)
  SELECT $3::uuid, $1::uuid, bumped.last_seq, $2::text, 'hello', now() FROM bumped
  RETURNING seq
), marked AS (
  UPDATE thread_members
  SET last_read_seq = inserted.seq, last_read_at = now(), last_read_message_id = $3::uuid
  FROM inserted
  WHERE thread_id = $1::uuid AND user_id = $2::text AND last_read_seq < inserted.seq
)
SELECT inserted.seq, ARRAY(SELECT user_id FROM thread_members WHERE thread_id = $1::uuid) AS member_ids
FROM inserted

-- name: recount
-- $1 thread, $2 member: unread counted from the messages themselves.
SELECT count(*) AS unread
FROM messages m
JOIN thread_members tm ON tm.thread_id = m.thread_id AND tm.user_id = $2
WHERE m.thread_id = $1 AND m.seq > tm.last_read_seq AND m.author_id <> $2

-- name: marker
SELECT last_read_seq, last_read_at FROM thread_members WHERE thread_id = $1 AND user_id = $2

-- name: member-count
SELECT count(*) AS n FROM thread_members WHERE thread_id = $1 AND user_id = $2
