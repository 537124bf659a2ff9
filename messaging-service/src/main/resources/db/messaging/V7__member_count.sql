-- Members per thread are capped (MAX_THREAD_MEMBERS) and a summary carries the count and only the first
-- members: member_count is kept by the statements that add and remove members, under the thread row's
-- lock, so the cap holds under concurrent adds and a listing reads the count without counting.
ALTER TABLE threads ADD COLUMN member_count integer NOT NULL DEFAULT 0;
UPDATE threads t SET member_count = (SELECT count(*) FROM thread_members m WHERE m.thread_id = t.id);
-- The first members of a thread (admins first, then by id) and the members page, without sorting them all.
-- No column of it changes on a read-marker update, which stays a HOT update.
CREATE INDEX thread_members_by_role ON thread_members (thread_id, role, user_id);
