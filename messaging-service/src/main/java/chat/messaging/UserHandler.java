package chat.messaging;

import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.UpsertUser;
import chat.shared.protocol.Messaging.UserUpserted;
import io.vertx.core.Future;

/**
 * {@link Messaging#USER_UPSERT}: creates the user on first sight, and changes the display name only
 * when one is given and it differs. A blank or missing name never replaces a known one.
 */
final class UserHandler {
  private final MessageStore store;

  UserHandler(MessageStore store) {
    this.store = store;
  }

  Future<UserUpserted> upsert(UpsertUser req) {
    return store.upsertUser(req.userId(), req.name()).map(v -> new UserUpserted(req.userId()));
  }
}
