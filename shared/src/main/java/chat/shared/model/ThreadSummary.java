package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A thread as one member sees it. {@code unread} is derived for that member (the thread's last seq
 * minus their read marker), {@code lastMessage} is null for an empty thread.
 */
public record ThreadSummary(
    String id,
    String title,
    Instant createdAt,
    Instant updatedAt,
    long lastSeq,
    Message lastMessage,
    long unread,
    List<Member> members) {

  public JsonObject toJson() {
    return Bodies.encode(this);
  }

  public static ThreadSummary fromJson(JsonObject j) {
    return Bodies.decode(j, ThreadSummary.class);
  }
}
