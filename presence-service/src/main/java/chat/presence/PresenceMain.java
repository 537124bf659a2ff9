package chat.presence;

import chat.shared.runtime.ChatProcess;
import java.util.List;

/** The presence-service process. */
public final class PresenceMain {
  private PresenceMain() {}

  public static void main(String[] args) {
    ChatProcess.named("presence-service").deploying(config -> List.of(PresenceVerticle.deployment(config))).run();
  }
}
