-- The one definition of a member's unread count in a thread. Every statement that reports unread calls
-- it (messaging's thread listing, unread-service's mark-read, badge and pushes); nothing else subtracts
-- read markers, so a change of the rule (deleted messages must stop counting) is a new version of this
-- function in a later migration, and no caller changes.
--
-- Who writes which column:
--   threads.last_seq, last_message_id, updated_at   messaging, in the send statements (+1 per message).
--   thread_members.last_read_seq, last_read_at,
--     last_read_message_id                          unread-service on mark-read (forward only), and
--                                                   messaging for the AUTHOR only, in the same send
--                                                   statement that inserts the message.
--   thread_members rows (role, joined_at)           messaging (create thread, add/remove member).
-- The send moves its author's marker in the statement that bumps last_seq because unread is derived
-- from last_seq: were the marker moved afterwards, any read between the two (a badge, a push, a
-- listing) would count the author's own message as unread for that moment.
--
-- Today unread is last_seq - last_read_seq (a member's own messages are all at or below their marker,
-- see above), clamped at 0. thread_id is unused so far; it is in the signature so that the rule can
-- look at the thread's messages later without touching a caller. The body is a single expression,
-- LANGUAGE sql, IMMUTABLE and not STRICT, so the planner inlines it into each query (a badge stays one
-- index scan plus a primary-key probe per membership); each argument is used once, which inlining needs
-- when an argument is a subquery.
CREATE FUNCTION unread_count(thread_id uuid, last_seq bigint, last_read_seq bigint)
RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT GREATEST(last_seq - last_read_seq, 0) $$;

COMMENT ON FUNCTION unread_count(uuid, bigint, bigint) IS
  'Unread messages of a member in a thread: the thread''s last_seq and the member''s last_read_seq.';
