package chat.shared.model;

import chat.shared.bus.Bodies;
import io.vertx.core.json.JsonObject;

/** A thread member: {@code role} is {@code admin} or {@code member}. */
public record Member(String userId, String name, String role) {
  public static final String ADMIN = "admin";
  public static final String MEMBER = "member";

  public JsonObject toJson() {
    return Bodies.encode(this);
  }
}
