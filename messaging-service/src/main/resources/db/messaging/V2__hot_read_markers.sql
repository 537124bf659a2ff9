-- Every send moves its author's read marker, and every read moves the reader's. With last_read_seq in an
-- index, each of those updates wrote a new entry into both indexes of thread_members (never a HOT update);
-- without it, a marker update stays on its heap page and touches no index. The badge query reads the
-- marker from the heap instead (one page holds a user's memberships that were added together).
DROP INDEX IF EXISTS thread_members_by_user;
CREATE INDEX thread_members_by_user ON thread_members (user_id) INCLUDE (thread_id);
ALTER TABLE thread_members SET (fillfactor = 80);
