-- A member's own mute of a thread (PUT /api/threads/{id}/mute), shown on every device in the summary's
-- `muted`. A constant default adds the column without rewriting a row; older nodes never read or write it.
-- No index holds it, so a mute, like a read-marker update, stays a HOT update.
ALTER TABLE thread_members ADD COLUMN IF NOT EXISTS muted boolean NOT NULL DEFAULT false;
