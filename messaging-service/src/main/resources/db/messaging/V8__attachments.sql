-- Attachments (issue 19): the gateway stores the bytes (filesystem or S3) under storage_key; this is their
-- record. An upload belongs to its uploader and thread until a send ties it to its message (message_id, in the
-- send's transaction). deleted: the message was deleted or the upload was never sent within a day; the
-- bytes are removed by the gateways' sweep, which then sets purged_at (the row stays: it counts towards the
-- uploader's bytes per day and explains a missing file).
CREATE TABLE attachments (
  id            uuid PRIMARY KEY,
  thread_id     uuid NOT NULL REFERENCES threads (id),
  uploader_id   text NOT NULL,
  name          text NOT NULL,
  content_type  text NOT NULL,
  size          bigint NOT NULL CHECK (size >= 0),
  storage_key   text NOT NULL,
  created_at    timestamptz NOT NULL,
  message_id    uuid,
  deleted       boolean NOT NULL DEFAULT false,
  purged_at     timestamptz
);
-- The uploader's quotas (unsent count, bytes in the last day) and the sweep of old unsent uploads.
CREATE INDEX attachments_by_uploader ON attachments (uploader_id, created_at);
CREATE INDEX attachments_by_message ON attachments (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX attachments_to_purge ON attachments (created_at) WHERE deleted AND purged_at IS NULL;
CREATE INDEX attachments_unsent ON attachments (created_at) WHERE message_id IS NULL AND NOT deleted;
