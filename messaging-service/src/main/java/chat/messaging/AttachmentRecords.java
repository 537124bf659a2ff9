package chat.messaging;

import chat.shared.protocol.Messaging.Attachment;
import chat.shared.protocol.Messaging.CreateAttachment;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The records of attachments (their bytes are the gateway's). Futures fail only with a
 * {@link chat.shared.ChatException}. Sends tie uploads to messages and deletes mark them, in
 * {@link MessageStore}'s own transactions.
 */
public interface AttachmentRecords {

  /**
   * Records an unsent upload. Fails {@code thread_not_found}, {@code not_member}, or {@code rate_limited} when
   * the uploader already has {@code maxUnsent} unsent uploads or the file would take them over
   * {@code bytesPerDay} in the last 24 hours (exact under concurrent uploads of the same user).
   */
  Future<Attachment> create(CreateAttachment request, int maxUnsent, long bytesPerDay);

  /**
   * The attachment, unless deleted ({@code not_found}); with a {@code viewerId}, only for a member of its
   * thread ({@code not_member}).
   */
  Future<Attachment> get(String attachmentId, String viewerId);

  /** Marks uploads never sent before {@code cutoff} deleted; returns up to {@code limit} deleted ones still stored. */
  Future<List<Attachment>> sweep(Instant cutoff, int limit);

  /** The bytes of these attachments are gone; returns how many were marked. */
  Future<Integer> purged(List<String> attachmentIds);
}
