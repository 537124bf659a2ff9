package chat.system.browser;

import chat.gateway.GatewayVerticle;
import chat.messaging.MessagingVerticle;
import chat.presence.PresenceVerticle;
import chat.shared.config.ChatConfig;
import chat.shared.testing.TestEnv;
import chat.unread.UnreadVerticle;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system a browser test class drives: messaging, unread, presence and the gateway in one Vert.x, on the
 * class's own schema, Redis prefix and port, plus the browsers the class launches. Closing quits every
 * browser and drops the schema, whatever failed before.
 */
final class BrowserSystem implements AutoCloseable {
  private final ChatConfig config;
  private final Vertx vertx = Vertx.vertx();
  private final List<HeadlessChromium> browsers = Collections.synchronizedList(new ArrayList<>());
  private String gateway;

  private BrowserSystem(ChatConfig config) {
    this.config = config;
  }

  /** Starts the system for {@code testClass}, with {@code settings} over the test environment's (null removes one). */
  static BrowserSystem start(Class<?> testClass, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(TestEnv.env(TestEnv.isolationName(testClass)));
    settings.forEach((key, value) -> {
      if (value == null) {
        env.remove(key);
      } else {
        env.put(key, value);
      }
    });
    BrowserSystem system = new BrowserSystem(ChatConfig.from(env));
    try {
      system.vertx.deployVerticle(new MessagingVerticle(system.config))
          .compose(id -> system.vertx.deployVerticle(new UnreadVerticle(system.config)))
          .compose(id -> system.vertx.deployVerticle(new PresenceVerticle(system.config)))
          .await();
      system.startGateway();
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
    return system;
  }

  ChatConfig config() {
    return config;
  }

  Vertx vertx() {
    return vertx;
  }

  /** The gateway's page and API. */
  String baseUrl() {
    return "http://127.0.0.1:" + config.port();
  }

  /** A headless Chromium of that window size, quit when the system closes. */
  HeadlessChromium launch(int width, int height) {
    HeadlessChromium browser = HeadlessChromium.start(width, height);
    browsers.add(browser);
    return browser;
  }

  HeadlessChromium launch() {
    return launch(1200, 850);
  }

  /** Undeploys the gateway (its sockets close; the services stay). */
  void stopGateway() {
    vertx.undeploy(gateway).await();
    gateway = null;
  }

  void startGateway() {
    gateway = GatewayVerticle.deployment(config).deploy(vertx).await();
  }

  @Override
  public void close() {
    browsers.forEach(b -> {
      try {
        b.quit();
      } catch (RuntimeException e) {
        System.err.println("browser quit: " + e);
      }
    });
    try {
      TestEnv.dropSchema(vertx, config);
    } finally {
      vertx.close().await();
    }
  }
}
