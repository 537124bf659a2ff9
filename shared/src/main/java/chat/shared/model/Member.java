package chat.shared.model;

import io.vertx.core.json.JsonObject;

/** A thread member: {@code role} is {@code admin} or {@code member}. */
public record Member(String userId, String name, String role) {
  public static final String ADMIN = "admin";
  public static final String MEMBER = "member";

  public JsonObject toJson() {
    return new JsonObject().put("userId", userId).put("name", name).put("role", role);
  }

  public static Member fromJson(JsonObject j) {
    return new Member(j.getString("userId"), j.getString("name"), j.getString("role"));
  }
}
