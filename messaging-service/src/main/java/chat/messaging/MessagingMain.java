package chat.messaging;

import chat.shared.runtime.ServiceLauncher;
import java.util.List;

/** The messaging-service process. */
public final class MessagingMain {
  private MessagingMain() {}

  public static void main(String[] args) {
    ServiceLauncher.runDeployments("messaging-service", cfg -> List.of(MessagingVerticle.deployment(cfg)));
  }
}
