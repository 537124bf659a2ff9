-- Read markers and unread counts. A member's unread in a thread is always unread_count(thread, marker),
-- the SQL function of the messaging migrations (V5), from the thread's row and the member's marker:
-- derived, never incremented, and defined nowhere else. This service writes only the last_read_* columns.

-- name: mark-read
-- $1 thread id, $2 user id, $3 message id (null: the thread's newest message).
-- The member's row is locked first (FOR UPDATE returns its newest committed version), so "moved" and
-- the returned marker are exact even when several devices of the user read at once.
WITH thread AS (
  SELECT t.id, t.last_seq, t.last_message_id, t AS thread_row
  FROM threads t
  WHERE t.id = $1
), cur AS (
  SELECT tm.thread_id, tm.user_id, tm.last_read_seq, tm.last_read_at
  FROM thread_members tm
  WHERE tm.thread_id = $1 AND tm.user_id = $2
  FOR UPDATE
), target AS (
  SELECT m.seq, m.id
  FROM messages m
  WHERE $3::uuid IS NOT NULL AND m.id = $3::uuid AND m.thread_id = $1
  UNION ALL
  SELECT th.last_seq, th.last_message_id
  FROM thread th
  WHERE $3::uuid IS NULL
), moved AS (
  UPDATE thread_members tm
  SET last_read_seq = target.seq, last_read_at = now(), last_read_message_id = target.id
  FROM cur, target
  WHERE tm.thread_id = cur.thread_id AND tm.user_id = cur.user_id AND target.seq > cur.last_read_seq
  RETURNING tm.last_read_seq, tm.last_read_at
)
SELECT th.id IS NOT NULL AS thread_found,
       cur.user_id IS NOT NULL AS is_member,
       target.seq IS NOT NULL AS target_found,
       moved.last_read_seq IS NOT NULL AS moved,
       COALESCE(moved.last_read_seq, cur.last_read_seq) AS last_read_seq,
       COALESCE(moved.last_read_at, cur.last_read_at) AS last_read_at,
       unread_count(th.thread_row, COALESCE(moved.last_read_seq, cur.last_read_seq)) AS unread,
       CASE WHEN cur.user_id IS NULL THEN 0 ELSE (
         SELECT COALESCE(sum(o.unread), 0)::bigint
         FROM (
           SELECT (SELECT unread_count(th, tm.last_read_seq) FROM threads th WHERE th.id = tm.thread_id)
                    AS unread
           FROM thread_members tm
           WHERE tm.user_id = $2 AND tm.thread_id <> $1
           OFFSET 0
         ) AS o
       ) END AS other_unread
FROM (SELECT 1) AS one
LEFT JOIN thread th ON true
LEFT JOIN cur ON true
LEFT JOIN target ON true
LEFT JOIN moved ON true

-- name: badge
-- $1 user id. Index scan of thread_members_by_user (the markers are read from the heap: they are not
-- indexed, so marker updates stay HOT), then one primary-key probe of threads per
-- thread, as a correlated scalar subquery: Postgres never turns that into a join, so the plan cannot
-- flip to a hash join over every thread (whose cost would grow with the whole table). OFFSET 0 keeps
-- the subquery from being flattened, so each probe runs once per membership. unread_count is inlined
-- into the probe (a plain expression on its columns), so it adds no function call per row.
SELECT thread_id, unread
FROM (
  SELECT tm.thread_id,
         (SELECT unread_count(th, tm.last_read_seq) FROM threads th WHERE th.id = tm.thread_id)
           AS unread
  FROM thread_members tm
  WHERE tm.user_id = $1
  OFFSET 0
) AS mine
WHERE unread > 0

-- name: unread-for
-- $1 user ids, $2 thread ids (pairwise). Each pair's unread and the user's total, in one snapshot.
-- Every membership of the users involved is read once (index scan per user, primary-key probe
-- per thread, as in badge); the pairs and the totals are both answered from that one pass.
WITH pairs AS (
  SELECT DISTINCT p.user_id, p.thread_id
  FROM unnest($1::text[], $2::uuid[]) AS p(user_id, thread_id)
), memberships AS MATERIALIZED (
  SELECT tm.user_id, tm.thread_id,
         (SELECT unread_count(th, tm.last_read_seq) FROM threads th WHERE th.id = tm.thread_id)
           AS unread
  FROM (SELECT DISTINCT user_id FROM pairs) AS u
  JOIN thread_members tm ON tm.user_id = u.user_id
), totals AS (
  SELECT m.user_id, sum(m.unread)::bigint AS total
  FROM memberships m
  GROUP BY m.user_id
)
SELECT m.user_id, m.thread_id, m.unread, t.total
FROM memberships m
JOIN pairs p ON p.user_id = m.user_id AND p.thread_id = m.thread_id
JOIN totals t ON t.user_id = m.user_id

-- name: receipts
-- $1 thread id, $2 the asking user. One row with nulls when the thread is missing or the user is
-- not a member; otherwise one row per member.
WITH thread AS (
  SELECT t.id FROM threads t WHERE t.id = $1
), me AS (
  SELECT tm.user_id FROM thread_members tm WHERE tm.thread_id = $1 AND tm.user_id = $2
)
SELECT EXISTS (SELECT 1 FROM thread) AS thread_found,
       EXISTS (SELECT 1 FROM me) AS is_member,
       tm.user_id, tm.last_read_seq, tm.last_read_at
FROM (SELECT 1) AS one
LEFT JOIN thread_members tm ON tm.thread_id = $1 AND EXISTS (SELECT 1 FROM me)
ORDER BY tm.user_id
