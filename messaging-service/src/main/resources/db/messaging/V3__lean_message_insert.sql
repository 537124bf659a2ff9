-- A message is only ever inserted by the send statements, which insert it only for a thread that exists
-- and an author who is a member of it (and thread_members references both threads and users); threads
-- and users are never deleted. The two foreign keys of messages therefore guarded nothing, yet cost two
-- trigger queries per inserted message, and the author's key check locked the author's users row
-- (FOR KEY SHARE) on every send, so concurrent senders contended on it.
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_thread_id_fkey;
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_author_id_fkey;
