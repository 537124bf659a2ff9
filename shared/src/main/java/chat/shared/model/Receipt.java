package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A member's read marker: a message with seq s is seen by the members whose lastReadSeq >= s. */
public record Receipt(String userId, long lastReadSeq, Instant lastReadAt) {
  public JsonObject toJson() {
    return Bodies.encode(this);
  }
}
