package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A thread as one member sees it. {@code unread} is derived for that member (the thread's last seq
 * minus their read marker), {@code lastMessage} is null for an empty thread. {@code members} holds at
 * most the first {@value #MAX_MEMBERS} (admins first, then by id), {@code memberCount} all of them, so a
 * summary's size is bounded whatever the thread's; the full list is paged by {@code messaging.member.list}.
 * {@code muted} is that member's own setting (false in a body from a node older than it).
 */
public record ThreadSummary(
    String id,
    String title,
    Instant createdAt,
    Instant updatedAt,
    long lastSeq,
    Message lastMessage,
    long unread,
    boolean muted,
    long memberCount,
    List<Member> members) {

  /** The most members a summary carries. */
  public static final int MAX_MEMBERS = 20;

  /**
   * The same thread as nobody in particular sees it ({@code unread} 0, {@code muted} false): what
   * {@code thread:updated} carries on the thread's address, which all members share.
   */
  public ThreadSummary shared() {
    return new ThreadSummary(id, title, createdAt, updatedAt, lastSeq, lastMessage, 0, false, memberCount, members);
  }

  public JsonObject toJson() {
    return Bodies.encode(this);
  }

  public static ThreadSummary fromJson(JsonObject j) {
    return Bodies.decode(j, ThreadSummary.class);
  }
}
