package chat.presence;

import org.junit.jupiter.api.DisplayName;

@DisplayName("In-memory presence store")
class InMemoryPresenceStoreTest extends PresenceStoreContract {
  @Override
  protected PresenceStore createStore() {
    return new InMemoryPresenceStore(PRESENCE_TTL, TYPING_TTL, clock);
  }

  @Override
  protected PresenceStore secondInstance() {
    return store;
  }

  @Override
  protected void cleanUp() {}
}
