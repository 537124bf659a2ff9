package chat.messaging;

import chat.shared.runtime.ChatProcess;
import java.util.List;

/** The messaging-service process. */
public final class MessagingMain {
  private MessagingMain() {}

  public static void main(String[] args) {
    ChatProcess.named("messaging-service").deploying(config -> List.of(MessagingVerticle.deployment(config))).run();
  }
}
