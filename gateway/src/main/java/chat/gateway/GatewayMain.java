package chat.gateway;

import chat.shared.runtime.ChatProcess;
import java.util.List;

/** The gateway process: HTTP API, SockJS bridge and web page, joined to the cluster's event bus. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    ChatProcess.named("gateway").deploying(config -> List.of(GatewayVerticle.deployment(config))).run();
  }
}
