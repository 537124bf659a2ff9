package chat.messaging;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@link Addresses#USER_UPSERT}: creates the user on first sight, and changes the display name only
 * when one is given and it differs. A blank or missing name never replaces a known one.
 */
final class UserHandler {
  private final MessageStore store;

  UserHandler(MessageStore store) {
    this.store = store;
  }

  Future<JsonObject> upsert(JsonObject req) {
    String userId = Requests.requireUserId(req, "userId");
    String name = Requests.cleanText(Requests.optionalString(req, "name"), "name");
    if (name != null) {
      name = name.strip();
      if (name.isEmpty()) {
        name = null;
      } else if (Requests.length(name) > Requests.MAX_TITLE_CHARS) {
        throw Requests.invalid("'name' must be at most " + Requests.MAX_TITLE_CHARS + " characters");
      }
    }
    return store.upsertUser(userId, name).map(v -> new JsonObject().put("userId", userId));
  }
}
