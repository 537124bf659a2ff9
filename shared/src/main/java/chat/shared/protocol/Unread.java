package chat.shared.protocol;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;
import chat.shared.model.Receipt;
import java.time.Instant;
import java.util.List;

/** unread-service's requests and replies; {@code userId} is the authenticated caller. */
public final class Unread {
  private Unread() {}

  public static final Endpoint<MarkRead, ReadMarked> MARK_READ =
      Endpoint.of(Addresses.UNREAD_MARK_READ, MarkRead.class, ReadMarked.class);
  public static final Endpoint<BadgeOf, Badge> BADGE =
      Endpoint.of(Addresses.UNREAD_BADGE, BadgeOf.class, Badge.class);
  public static final Endpoint<ReceiptsOf, ReceiptList> RECEIPTS =
      Endpoint.of(Addresses.UNREAD_RECEIPTS, ReceiptsOf.class, ReceiptList.class);

  /** Read up to {@code lastReadMessageId}, or the newest message when it is null; never backwards. */
  public record MarkRead(String userId, String threadId, String lastReadMessageId) {
    public MarkRead {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      lastReadMessageId = Requests.optionalMessageId(lastReadMessageId, "lastReadMessageId");
    }
  }

  /** The member's marker after the call and their unread in the thread. */
  public record ReadMarked(long lastReadSeq, long unread, Instant lastReadAt) {}

  public record BadgeOf(String userId) {
    public BadgeOf {
      userId = Requests.userId(userId, "userId");
    }
  }

  /** The threads with unread above 0 (a thread not listed has 0) and their total. */
  public record Badge(List<ThreadUnread> byThread, long total) {}

  /** One entry of a badge. */
  public record ThreadUnread(String threadId, long unread) {}

  public record ReceiptsOf(String userId, String threadId) {
    public ReceiptsOf {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  public record ReceiptList(List<Receipt> receipts) {}
}
