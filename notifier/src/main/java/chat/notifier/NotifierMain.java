package chat.notifier;

import chat.shared.runtime.ChatProcess;
import java.util.List;

/** The notifier process: the cluster and Postgres settings of every process, plus {@link NotifierConfig}'s. */
public final class NotifierMain {
  private NotifierMain() {}

  public static void main(String[] args) {
    ChatProcess.named("notifier")
        .deploying(config -> List.of(NotifierVerticle.deployment(config, NotifierConfig.from(System.getenv(), config))))
        .run();
  }
}
