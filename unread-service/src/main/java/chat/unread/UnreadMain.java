package chat.unread;

import chat.shared.runtime.ServiceLauncher;
import java.util.List;

/** The unread-service process. */
public final class UnreadMain {
  private UnreadMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run("unread-service", cfg -> List.of(new UnreadVerticle(cfg)));
  }
}
