-- The service that sent a message for its author (chat.api.v1.message.send); null for a user's own sends
-- through a gateway. Nullable and without a default, so adding it rewrites no row and older nodes, which
-- never write it, keep working during a rollout.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS via text;
