package chat.gateway;

import chat.shared.runtime.ServiceLauncher;
import java.util.List;

/** The gateway process: HTTP API, SockJS bridge and web page, joined to the cluster's event bus. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceLauncher.runDeployments("gateway",
        config -> List.of(GatewayVerticle.deployment(config, config.verticleInstances())));
  }
}
