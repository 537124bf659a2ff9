package chat.unread;

import chat.shared.runtime.ChatProcess;
import java.util.List;

/** The unread-service process. */
public final class UnreadMain {
  private UnreadMain() {}

  public static void main(String[] args) {
    ChatProcess.named("unread-service").deploying(config -> List.of(UnreadVerticle.deployment(config))).run();
  }
}
