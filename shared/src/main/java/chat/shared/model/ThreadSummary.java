package chat.shared.model;

import io.vertx.core.json.JsonArray;
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
    JsonArray ms = new JsonArray();
    members.forEach(m -> ms.add(m.toJson()));
    return new JsonObject()
        .put("id", id)
        .put("title", title)
        .put("createdAt", Timestamps.format(createdAt))
        .put("updatedAt", Timestamps.format(updatedAt))
        .put("lastSeq", lastSeq)
        .put("lastMessage", lastMessage == null ? null : lastMessage.toJson())
        .put("unread", unread)
        .put("members", ms);
  }

  public static ThreadSummary fromJson(JsonObject j) {
    JsonObject last = j.getJsonObject("lastMessage");
    return new ThreadSummary(
        j.getString("id"),
        j.getString("title"),
        Timestamps.parse(j.getString("createdAt")),
        Timestamps.parse(j.getString("updatedAt")),
        j.getLong("lastSeq"),
        last == null ? null : Message.fromJson(last),
        j.getLong("unread"),
        j.getJsonArray("members").stream().map(o -> Member.fromJson((JsonObject) o)).toList());
  }
}
