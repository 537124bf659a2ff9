package chat.presence;

import chat.shared.runtime.ServiceLauncher;
import java.util.List;

/** The presence-service process. */
public final class PresenceMain {
  private PresenceMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("presence-service", cfg -> List.of(new PresenceVerticle(cfg)));
  }
}
