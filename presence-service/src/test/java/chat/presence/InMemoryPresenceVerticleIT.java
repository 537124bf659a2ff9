package chat.presence;

import chat.shared.testing.TestEnv;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("presence-service with the in-memory store (one-process run)")
class InMemoryPresenceVerticleIT extends PresenceVerticleContract {
  @Override
  protected Map<String, String> env() {
    return TestEnv.env(TestEnv.isolationName(InMemoryPresenceVerticleIT.class));
  }

  @Override
  protected int instances() {
    return 1;
  }
}
