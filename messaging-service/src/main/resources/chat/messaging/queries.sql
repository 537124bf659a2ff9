-- The SQL of PgMessageStore. Parameters are cast explicitly so every statement prepares once.

-- name: upsert_user
-- $1 id, $2 display name or null (null keeps an existing name; a new row is named after its id).
INSERT INTO users (id, name) VALUES ($1::text, COALESCE($2::text, $1::text))
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
  WHERE $2::text IS NOT NULL AND users.name IS DISTINCT FROM EXCLUDED.name;

-- name: create_thread
-- $1 thread id, $2 title, $3 creator, $4 every member id (creator included, distinct), $5 now.
-- Unknown users get a placeholder row named after their id; the creator is admin.
WITH placeholders AS (
  INSERT INTO users (id, name)
  SELECT u, u FROM unnest($4::text[]) AS u
  ON CONFLICT (id) DO NOTHING
), thread AS (
  INSERT INTO threads (id, title, created_by, created_at, updated_at, member_count)
  VALUES ($1::uuid, $2::text, $3::text, $5::timestamptz, $5::timestamptz, cardinality($4::text[]))
  RETURNING id
), joined AS (
  INSERT INTO thread_members (thread_id, user_id, role, joined_at)
  SELECT thread.id, u, CASE WHEN u = $3::text THEN 'admin' ELSE 'member' END, $5::timestamptz
  FROM thread, unnest($4::text[]) AS u
  RETURNING user_id, role
)
SELECT j.user_id, COALESCE(u.name, j.user_id) AS name, j.role
FROM joined j LEFT JOIN users u ON u.id = j.user_id
ORDER BY j.role, j.user_id;

-- name: list_threads
-- $1 user, $2 as-of time, $3 position and $4 thread id to start after (null: the first page), $5 limit.
-- The user's threads, newest activity first, as the list stood at $2: a thread active since then keeps
-- the place it had (the newest of its messages created by $2, or its creation), so the pages of one
-- listing neither repeat nor skip a thread. Only such threads look at messages, newest first by seq.
WITH mine AS (
  SELECT m.thread_id AS id, m.last_read_seq, m.muted,
         CASE WHEN t.updated_at <= $2::timestamptz THEN t.updated_at
              ELSE GREATEST(t.created_at, (SELECT x.created_at FROM messages x
                                           WHERE x.thread_id = t.id AND x.created_at <= $2::timestamptz
                                           ORDER BY x.seq DESC LIMIT 1)) END AS at
  FROM thread_members m
  JOIN threads t ON t.id = m.thread_id
  WHERE m.user_id = $1::text
), page AS (
  SELECT * FROM mine
  WHERE $3::timestamptz IS NULL OR mine.at < $3::timestamptz OR (mine.at = $3::timestamptz AND mine.id > $4::uuid)
  ORDER BY mine.at DESC, mine.id
  LIMIT $5::int
)
SELECT t.id, t.title, t.created_at, t.updated_at, t.last_seq, t.member_count, $1::text AS viewer_id,
       unread_count(t, page.last_read_seq) AS unread, page.muted, page.at,
       lm.id AS lm_id, lm.version AS lm_version, lm.author_id AS lm_author_id, lm.body AS lm_body,
       lm.created_at AS lm_created_at, lm.client_message_id AS lm_client_message_id,
       lm.edited_at AS lm_edited_at, lm.deleted AS lm_deleted, lm.via AS lm_via
FROM page
JOIN threads t ON t.id = page.id
LEFT JOIN messages lm ON lm.thread_id = t.id AND lm.seq = t.last_seq
ORDER BY page.at DESC, page.id;

-- name: thread_for_members
-- $1 thread, $2 viewers: one row per viewer who is a member, same columns as list_threads.
SELECT t.id, t.title, t.created_at, t.updated_at, t.last_seq, t.member_count, m.user_id AS viewer_id,
       unread_count(t, m.last_read_seq) AS unread, m.muted,
       lm.id AS lm_id, lm.version AS lm_version, lm.author_id AS lm_author_id, lm.body AS lm_body,
       lm.created_at AS lm_created_at, lm.client_message_id AS lm_client_message_id,
       lm.edited_at AS lm_edited_at, lm.deleted AS lm_deleted, lm.via AS lm_via
FROM threads t
JOIN thread_members m ON m.thread_id = t.id AND m.user_id = ANY($2::text[])
LEFT JOIN messages lm ON lm.thread_id = t.id AND lm.seq = t.last_seq
WHERE t.id = $1::uuid;

-- name: members_of_threads
-- $1 thread ids, $2 most members per thread. The first members of each, admins first, then by user id
-- (an index range per thread, however many members it has).
SELECT t.id AS thread_id, mm.user_id, mm.name, mm.role
FROM unnest($1::uuid[]) AS t(id)
CROSS JOIN LATERAL (
  SELECT m.user_id, u.name, m.role
  FROM thread_members m JOIN users u ON u.id = m.user_id
  WHERE m.thread_id = t.id
  ORDER BY m.role, m.user_id
  LIMIT $2::int) mm
ORDER BY t.id, mm.role, mm.user_id;

-- name: member_page
-- $1 thread, $2 viewer, $3 role and $4 user id to start after (null: from the first), $5 limit.
-- Admins first, then by user id. Empty when the viewer is not a member.
SELECT m.user_id, u.name, m.role
FROM thread_members m JOIN users u ON u.id = m.user_id
WHERE m.thread_id = $1::uuid
  AND ($3::text IS NULL OR (m.role, m.user_id) > ($3::text, $4::text))
  AND EXISTS (SELECT 1 FROM thread_members v WHERE v.thread_id = $1::uuid AND v.user_id = $2::text)
ORDER BY m.role, m.user_id
LIMIT $5::int;

-- name: member_role
-- $1 thread, $2 user. Primary key lookup.
SELECT role FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text;

-- name: thread_for_all_members
-- $1 thread: one row per member, same columns as list_threads (a rename tells each member their view).
SELECT t.id, t.title, t.created_at, t.updated_at, t.last_seq, t.member_count, m.user_id AS viewer_id,
       unread_count(t, m.last_read_seq) AS unread, m.muted,
       lm.id AS lm_id, lm.version AS lm_version, lm.author_id AS lm_author_id, lm.body AS lm_body,
       lm.created_at AS lm_created_at, lm.client_message_id AS lm_client_message_id,
       lm.edited_at AS lm_edited_at, lm.deleted AS lm_deleted, lm.via AS lm_via
FROM threads t
JOIN thread_members m ON m.thread_id = t.id
LEFT JOIN messages lm ON lm.thread_id = t.id AND lm.seq = t.last_seq
WHERE t.id = $1::uuid;

-- name: lock_thread_row
-- $1 thread. First statement of a membership or title change: takes the thread row's lock, so changes
-- of one thread's members and roles run one after the other, and the statements after it (each with a
-- fresh snapshot) read every committed change. No row: no thread.
SELECT id FROM threads WHERE id = $1::uuid FOR NO KEY UPDATE;

-- name: rename_thread
-- $1 thread, $2 title. Under the thread's lock; the activity time (updated_at) does not move.
UPDATE threads SET title = $2::text WHERE id = $1::uuid;

-- name: delete_member
-- $1 thread, $2 member. Under the thread's lock: removes them and counts them out; returns their role.
WITH removed AS (
  DELETE FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text
  RETURNING role
), counted AS (
  UPDATE threads SET member_count = member_count - 1
  WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM removed)
)
SELECT (SELECT role FROM removed) AS removed_role;

-- name: promote_successor
-- $1 thread. Under the thread's lock, after an admin left: when no admin remains, the longest-standing
-- member (earliest joined_at, then user id) becomes admin. No row: an admin remains, or nobody does.
UPDATE thread_members SET role = 'admin'
WHERE thread_id = $1::uuid
  AND user_id = (SELECT user_id FROM thread_members WHERE thread_id = $1::uuid ORDER BY joined_at, user_id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND role = 'admin')
RETURNING user_id;

-- name: admin_count
-- $1 thread.
SELECT count(*) AS admins FROM thread_members WHERE thread_id = $1::uuid AND role = 'admin';

-- name: set_role
-- $1 thread, $2 member, $3 role. Under the thread's lock.
UPDATE thread_members SET role = $3::text WHERE thread_id = $1::uuid AND user_id = $2::text;

-- name: set_mute
-- $1 thread, $2 member, $3 muted. No row: not a member (or no thread).
UPDATE thread_members SET muted = $3::boolean WHERE thread_id = $1::uuid AND user_id = $2::text
RETURNING muted;

-- name: thread_exists
SELECT EXISTS (SELECT 1 FROM threads WHERE id = $1::uuid) AS thread_exists;

-- name: add_member
-- $1 thread, $2 caller, $3 new member, $4 now, $5 most members. Adds only when the caller is an admin
-- and the thread has fewer than $5 members; the new member's read marker starts at 0 (the whole history
-- is unread). The thread row is locked first, and a row locked FOR UPDATE is read in its newest committed
-- version, so concurrent adds see each other's member_count and the cap holds.
WITH locked AS (
  SELECT member_count FROM threads WHERE id = $1::uuid FOR NO KEY UPDATE
), caller AS (
  SELECT role FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text
), allowed AS (
  SELECT 1 FROM caller, locked WHERE caller.role = 'admin' AND locked.member_count < $5::int
), placeholder AS (
  INSERT INTO users (id, name) SELECT $3::text, $3::text FROM allowed
  ON CONFLICT (id) DO NOTHING
), added AS (
  INSERT INTO thread_members (thread_id, user_id, role, joined_at, last_read_seq)
  SELECT $1::uuid, $3::text, 'member', $4::timestamptz, 0 FROM allowed
  ON CONFLICT (thread_id, user_id) DO NOTHING
  RETURNING 1
), counted AS (
  UPDATE threads SET member_count = member_count + 1
  WHERE id = $1::uuid AND EXISTS (SELECT 1 FROM added)
)
SELECT EXISTS (SELECT 1 FROM locked) AS thread_exists,
       (SELECT role FROM caller) AS caller_role,
       EXISTS (SELECT 1 FROM added) AS added,
       EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $3::text) AS already,
       (SELECT member_count FROM locked) AS member_count;

-- name: send
-- $1 thread, $2 author, $3 message id, $4 body, $5 client message id or null, $6 now, $7 via or null.
-- One statement: only for a member, bumps the thread's last_seq and version (the row lock serialises
-- senders, editors and deleters, so both stay gap-free and versions commit in order), inserts the message with that seq, moves the author's read marker forward
-- and returns every member id, and whether the author's marker was below the previous message (then
-- their own send may have cleared unread, and their devices need a badge). No row means not sent (no thread, or not a member); a duplicate
-- client message id fails the whole statement (23505), so nothing is bumped. updated_at never moves
-- back, even when instances' clocks differ. `send_batch` is the same rules for several sends at once: a
-- change to one is a change to both. This one stays for a lone send, which it does ~20 % cheaper (Postgres
-- CPU, measured with pgbench: ~255 vs ~320 us per statement).
WITH bumped AS (
  UPDATE threads
  SET last_seq = last_seq + 1, version = version + 1, updated_at = GREATEST(updated_at, $6::timestamptz),
      last_message_id = $3::uuid
  WHERE id = $1::uuid
    AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
  RETURNING last_seq, version
), inserted AS (
  INSERT INTO messages (id, thread_id, seq, version, author_id, body, client_message_id, created_at, via)
  SELECT $3::uuid, $1::uuid, bumped.last_seq, bumped.version, $2::text, $4::text, $5::text, $6::timestamptz, $7::text
  FROM bumped
  RETURNING seq, version
), marked AS (
  UPDATE thread_members
  SET last_read_seq = inserted.seq, last_read_at = $6::timestamptz, last_read_message_id = $3::uuid
  FROM inserted
  WHERE thread_id = $1::uuid AND user_id = $2::text AND last_read_seq < inserted.seq
)
SELECT inserted.seq, inserted.version,
       ARRAY(SELECT user_id FROM thread_members WHERE thread_id = $1::uuid) AS member_ids,
       (SELECT last_read_seq FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
         < inserted.seq - 1 AS author_had_unread
FROM inserted;

-- name: send_batch
-- Several sends in ONE statement (the batched form of `send`): $1 threads, $2 authors, $3 message ids,
-- $4 bodies, $5 client message ids (null elements allowed), $6 timestamps, $7 vias (null elements allowed),
-- one element per send, in
-- arrival order. Sends by non-members or to unknown threads are left out (no row for their id); the
-- others get consecutive seqs (and versions) per thread in array order. The thread rows are locked in id order first,
-- so two batches never deadlock; seqs are read under that lock, so they stay gap-free. Any duplicate
-- client message id fails the whole statement (23505): nothing is written, the caller sends one by one.
WITH req AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::text[])
    WITH ORDINALITY AS r(thread_id, author_id, id, body, client_message_id, created_at, via, ord)
), ok AS (
  -- LATERAL ... LIMIT 1 keeps this a primary-key probe per send (an EXISTS may become a hash join that
  -- reads every membership).
  SELECT req.* FROM req
  CROSS JOIN LATERAL (SELECT 1 FROM thread_members m
                      WHERE m.thread_id = req.thread_id AND m.user_id = req.author_id LIMIT 1) member
), locked AS (
  SELECT t.id, t.last_seq, t.version FROM threads t
  WHERE t.id IN (SELECT thread_id FROM ok)
  ORDER BY t.id
  FOR NO KEY UPDATE
), numbered AS (
  SELECT ok.*, locked.last_seq + rn AS seq, locked.version + rn AS version
  FROM (SELECT ok.*, row_number() OVER (PARTITION BY ok.thread_id ORDER BY ok.ord) AS rn FROM ok) ok
  JOIN locked ON locked.id = ok.thread_id
), bumped AS (
  UPDATE threads t
  SET last_seq = n.seq, version = n.version, updated_at = GREATEST(t.updated_at, n.created_at),
      last_message_id = n.id
  FROM (SELECT DISTINCT ON (thread_id) thread_id, seq, version, created_at, id FROM numbered
        ORDER BY thread_id, seq DESC) n
  WHERE t.id = n.thread_id
), inserted AS (
  INSERT INTO messages (id, thread_id, seq, version, author_id, body, client_message_id, created_at, via)
  SELECT id, thread_id, seq, version, author_id, body, client_message_id, created_at, via FROM numbered
  RETURNING id, thread_id, seq, version, author_id
), marked AS (
  UPDATE thread_members m
  SET last_read_seq = x.seq, last_read_at = x.created_at, last_read_message_id = x.id
  FROM (SELECT DISTINCT ON (thread_id, author_id) thread_id, author_id, seq, created_at, id FROM numbered
        ORDER BY thread_id, author_id, seq DESC) x
  WHERE m.thread_id = x.thread_id AND m.user_id = x.author_id AND m.last_read_seq < x.seq
)
SELECT inserted.id, inserted.seq, inserted.version,
       ARRAY(SELECT user_id FROM thread_members WHERE thread_id = inserted.thread_id) AS member_ids,
       (SELECT last_read_seq FROM thread_members WHERE thread_id = inserted.thread_id AND user_id = inserted.author_id)
         < inserted.seq - 1 AS author_had_unread
FROM inserted;

-- name: message_by_client_id
-- $1 thread, $2 author, $3 client message id: the first message sent with that id, as it is now.
SELECT id, seq, version, author_id, body, created_at, client_message_id, edited_at, deleted, via, attachments FROM messages
WHERE thread_id = $1::uuid AND author_id = $2::text AND client_message_id = $3::text;

-- name: history_forward
-- $1 thread, $2 viewer, $3 after seq (exclusive), $4 before seq (exclusive), $5 limit.
-- Oldest first from just after $3. Empty when the viewer is not a member.
SELECT id, seq, version, author_id, body, created_at, client_message_id, edited_at, deleted, via, attachments FROM messages
WHERE thread_id = $1::uuid AND seq > $3::bigint AND seq < $4::bigint
  AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
ORDER BY seq ASC
LIMIT $5::int;

-- name: history_backward
-- Same parameters; newest first from just below $4 (the caller reverses the page).
SELECT id, seq, version, author_id, body, created_at, client_message_id, edited_at, deleted, via, attachments FROM messages
WHERE thread_id = $1::uuid AND seq > $3::bigint AND seq < $4::bigint
  AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
ORDER BY seq DESC
LIMIT $5::int;

-- name: changes
-- $1 thread, $2 viewer, $3 version (exclusive), $4 limit. Every message whose latest change is above $3,
-- in version order. Versions become visible in order (each is handed out under the thread row's lock,
-- held to commit), so a page never skips a version that a later page could still reveal. Empty when
-- the viewer is not a member.
SELECT id, seq, version, author_id, body, created_at, client_message_id, edited_at, deleted, via, attachments FROM messages
WHERE thread_id = $1::uuid AND version > $3::bigint
  AND EXISTS (SELECT 1 FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text)
ORDER BY version ASC
LIMIT $4::int;

-- name: lock_thread
-- $1 thread, $2 caller. First statement of an edit or a delete: takes the thread row's lock (as a send
-- does), so the message read next is current and the version bump commits in order. No row: no thread.
SELECT (SELECT role FROM thread_members WHERE thread_id = $1::uuid AND user_id = $2::text) AS role
FROM threads WHERE id = $1::uuid
FOR NO KEY UPDATE;

-- name: message_for_change
-- $1 thread, $2 message. Read under the thread's lock.
SELECT id, seq, version, author_id, body, created_at, client_message_id, edited_at, deleted, via, attachments FROM messages
WHERE id = $2::uuid AND thread_id = $1::uuid;

-- name: edit_message
-- $1 thread, $2 message, $3 body, $4 now. Under the thread's lock: the next version, the new body.
WITH bumped AS (
  UPDATE threads SET version = version + 1 WHERE id = $1::uuid
  RETURNING version, last_seq
)
UPDATE messages m SET body = $3::text, edited_at = $4::timestamptz, version = bumped.version
FROM bumped
WHERE m.id = $2::uuid AND m.thread_id = $1::uuid
RETURNING m.id, m.seq, m.version, m.author_id, m.body, m.created_at, m.client_message_id, m.edited_at, m.deleted, m.via, m.attachments,
          bumped.last_seq,
          ARRAY(SELECT user_id FROM thread_members WHERE thread_id = $1::uuid) AS member_ids;

-- name: delete_message
-- $1 thread, $2 message. Under the thread's lock: the next version, a tombstone (body and attachments
-- gone, seq kept), its seq added to the thread's deleted_seqs (which unread_count reads). unread_by are
-- the members who had not read it (their unread count falls), the author excepted.
WITH target AS (
  SELECT seq, author_id FROM messages WHERE id = $2::uuid AND thread_id = $1::uuid
), bumped AS (
  UPDATE threads t
  SET version = t.version + 1,
      deleted_seqs = ARRAY(SELECT s FROM unnest(t.deleted_seqs || target.seq) AS s ORDER BY s)
  FROM target
  WHERE t.id = $1::uuid
  RETURNING t.version, t.last_seq
), tombstone AS (
  UPDATE messages m SET body = '', attachments = '[]'::jsonb, deleted = true, version = bumped.version
  FROM bumped
  WHERE m.id = $2::uuid AND m.thread_id = $1::uuid
  RETURNING m.seq, m.version, m.author_id
)
SELECT tombstone.seq, tombstone.version, tombstone.author_id, bumped.last_seq,
       ARRAY(SELECT user_id FROM thread_members WHERE thread_id = $1::uuid) AS member_ids,
       ARRAY(SELECT user_id FROM thread_members
             WHERE thread_id = $1::uuid AND last_read_seq < tombstone.seq AND user_id <> tombstone.author_id)
         AS unread_by
FROM tombstone, bumped;

-- name: claim_attachments
-- $1 message id, $2 thread, $3 uploader, $4 attachment ids. First statement of a send with attachments, in
-- its transaction: ties the uploader's unsent uploads to the message. Row locks make a concurrent second claim
-- of the same upload wait and then find it taken, so an upload belongs to at most one message.
UPDATE attachments SET message_id = $1::uuid
WHERE id = ANY($4::uuid[]) AND thread_id = $2::uuid AND uploader_id = $3::text AND message_id IS NULL AND NOT deleted
RETURNING id, name, content_type, size;

-- name: set_message_attachments
-- $1 message, $2 attachments (the client shape without url). In the send's transaction, after `send`.
UPDATE messages SET attachments = $2::jsonb WHERE id = $1::uuid;

-- name: create_attachment
-- $1 id, $2 thread, $3 uploader, $4 name, $5 content type, $6 size, $7 storage key, $8 now, $9 unsent cap,
-- $10 bytes per day. Only for a member, and only under the uploader's quotas (read under an advisory lock on
-- the uploader, taken first in the same transaction, so concurrent uploads cannot both slip under them).
-- Returns quota_ok false (nothing inserted) when over a quota; no row when not a member.
WITH member AS (
  SELECT 1 FROM thread_members WHERE thread_id = $2::uuid AND user_id = $3::text
), quota AS (
  SELECT (SELECT count(*) FROM attachments
          WHERE uploader_id = $3::text AND message_id IS NULL AND NOT deleted) < $9::int
     AND (SELECT coalesce(sum(size), 0) FROM attachments
          WHERE uploader_id = $3::text AND created_at > $8::timestamptz - interval '1 day') + $6::bigint
         <= $10::bigint AS ok
), inserted AS (
  INSERT INTO attachments (id, thread_id, uploader_id, name, content_type, size, storage_key, created_at)
  SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::bigint, $7::text, $8::timestamptz
  FROM member, quota WHERE quota.ok
  RETURNING id
)
SELECT quota.ok AS quota_ok FROM member, quota;

-- name: lock_uploader
-- $1 uploader: serialises one uploader's quota checks (transaction-scoped).
SELECT pg_advisory_xact_lock(hashtextextended('attachments:' || $1::text, 0));

-- name: attachment
-- $1 attachment, $2 viewer or null: the attachment if not deleted, and whether the viewer is a member.
SELECT a.id, a.thread_id, a.uploader_id, a.name, a.content_type, a.size, a.storage_key, a.message_id,
       EXISTS (SELECT 1 FROM thread_members m WHERE m.thread_id = a.thread_id AND m.user_id = $2::text) AS is_member
FROM attachments a WHERE a.id = $1::uuid AND NOT a.deleted;

-- name: delete_message_attachments
-- $1 message. In the delete's transaction: its files are to be removed (by the sweep).
UPDATE attachments SET deleted = true WHERE message_id = $1::uuid AND NOT deleted;

-- name: expire_unsent_attachments
-- $1 cutoff: uploads never sent by then are deleted (their bytes removed by the sweep).
UPDATE attachments SET deleted = true WHERE message_id IS NULL AND NOT deleted AND created_at < $1::timestamptz;

-- name: attachments_to_purge
-- $1 limit: deleted attachments whose bytes may still be stored.
SELECT id, thread_id, uploader_id, name, content_type, size, storage_key, message_id FROM attachments
WHERE deleted AND purged_at IS NULL ORDER BY created_at LIMIT $1::int;

-- name: mark_purged
-- $1 ids, $2 now.
UPDATE attachments SET purged_at = $2::timestamptz WHERE id = ANY($1::uuid[]) AND deleted AND purged_at IS NULL;
