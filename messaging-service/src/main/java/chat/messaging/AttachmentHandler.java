package chat.messaging;

import chat.shared.config.ChatConfig;
import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.Attachment;
import chat.shared.protocol.Messaging.CreateAttachment;
import chat.shared.protocol.Messaging.Doomed;
import chat.shared.protocol.Messaging.GetAttachment;
import chat.shared.protocol.Messaging.Purged;
import chat.shared.protocol.Messaging.PurgedAttachments;
import chat.shared.protocol.Messaging.SweepAttachments;
import chat.shared.model.Timestamps;
import io.vertx.core.Future;

/**
 * {@link Messaging#ATTACHMENT_CREATE} (under the uploader's quotas, none with {@code CHAT_RATE_LIMITS=off}),
 * {@link Messaging#ATTACHMENT_GET}, and the sweep's two calls.
 */
final class AttachmentHandler {
  private final AttachmentRecords records;
  private final int maxUnsent;
  private final long bytesPerDay;

  AttachmentHandler(AttachmentRecords records, ChatConfig config) {
    this.records = records;
    this.maxUnsent = config.rateLimits() ? config.attachments().maxUnsent() : Integer.MAX_VALUE;
    this.bytesPerDay = config.rateLimits() ? config.attachments().bytesPerDay() : Long.MAX_VALUE;
  }

  Future<Attachment> create(CreateAttachment req) {
    return records.create(req, maxUnsent, bytesPerDay);
  }

  Future<Attachment> get(GetAttachment req) {
    return records.get(req.attachmentId(), req.userId());
  }

  Future<Doomed> sweep(SweepAttachments req) {
    return records.sweep(Timestamps.now().minusSeconds(Math.max(0, req.maxAgeSeconds())),
        Math.max(1, Math.min(1000, req.limit()))).map(Doomed::new);
  }

  Future<Purged> purged(PurgedAttachments req) {
    return records.purged(req.attachmentIds()).map(Purged::new);
  }
}
