package chat.shared.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.config.ChatConfig;
import chat.shared.testing.TestCerts;
import chat.shared.testing.TestEnv;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterTlsTest {
  private static Map<String, String> clusterEnv() {
    int port = TestEnv.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_ENABLED", "true");
    env.put("CLUSTER_NAME", "tls-test-" + port);
    env.put("CLUSTER_PORT", String.valueOf(port));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + port);
    return env;
  }

  @Test
  @DisplayName("A clustered process without a certificate refuses to start, naming the settings it lacks and the opt-out")
  void refusesToJoinWithoutACertificate() {
    ChatProcess process = ChatProcess.named("test", clusterEnv());
    Exception failure = assertThrows(Exception.class, () -> process.start().await(30, TimeUnit.SECONDS));
    String message = failure.getMessage();
    assertTrue(message.contains("CLUSTER_TLS_CERT, CLUSTER_TLS_KEY, CLUSTER_TLS_CA") && message.contains("CLUSTER_TLS=off"),
        message);
    assertEquals(null, process.vertx(), "no Vert.x was created, so nothing joined the cluster");
    process.stop();
  }

  @Test
  @DisplayName("A partial or unreadable certificate setting is refused with the key that is wrong")
  void refusesPartialOrUnreadableSettings() {
    Map<String, String> env = clusterEnv();
    env.put("CLUSTER_TLS_CERT", "/nonexistent/node.pem");
    ChatConfig.Tls partial = ChatConfig.from(env).cluster().tls();
    assertEquals(List.of("CLUSTER_TLS_KEY", "CLUSTER_TLS_CA"), partial.missing());
    Throwable cause = VertxFactory.clustered(ChatConfig.from(env).cluster()).cause();
    assertTrue(cause.getMessage().startsWith("The cluster needs this node's certificate: set CLUSTER_TLS_KEY, CLUSTER_TLS_CA"),
        cause.getMessage());

    env.put("CLUSTER_TLS_KEY", "/nonexistent/node-key.pem");
    env.put("CLUSTER_TLS_CA", "/nonexistent/ca.pem");
    cause = VertxFactory.clustered(ChatConfig.from(env).cluster()).cause();
    assertEquals("CLUSTER_TLS_CERT: cannot read the file /nonexistent/node.pem", cause.getMessage());

    env.put("CLUSTER_TLS", "maybe");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ChatConfig.from(env));
    assertEquals("CLUSTER_TLS must be on or off, got 'maybe'", bad.getMessage());
  }

  @Test
  @DisplayName("With a certificate the event bus requires TLS both ways: own key and certificate, the cluster CA, client auth required")
  void certificateTurnsOnMutualTls() {
    Map<String, String> env = TestCerts.newCa().with(clusterEnv(), "node");
    ChatConfig.Tls tls = ChatConfig.from(env).cluster().tls();
    EventBusOptions eb = new EventBusOptions();
    VertxFactory.mutualTls(eb, tls);
    assertTrue(eb.isSsl());
    assertEquals(ClientAuth.REQUIRED, eb.getClientAuth());
    assertFalse(eb.isTrustAll());
    PemKeyCertOptions key = assertInstanceOf(PemKeyCertOptions.class, eb.getKeyCertOptions());
    assertEquals(List.of(env.get("CLUSTER_TLS_CERT")), key.getCertPaths());
    assertEquals(List.of(env.get("CLUSTER_TLS_KEY")), key.getKeyPaths());
    assertEquals(List.of(env.get("CLUSTER_TLS_CA")), assertInstanceOf(PemTrustOptions.class, eb.getTrustOptions()).getCertPaths());
  }

  @Test
  @DisplayName("CLUSTER_TLS=off is the explicit opt-out: plain TCP, no certificate asked for")
  void optOutIsExplicit() {
    Map<String, String> env = clusterEnv();
    env.put("CLUSTER_TLS", "off");
    ChatConfig.Tls tls = ChatConfig.from(env).cluster().tls();
    assertFalse(tls.on());
    assertEquals(List.of(), tls.missing());
    EventBusOptions eb = new EventBusOptions();
    VertxFactory.mutualTls(eb, tls);
    assertFalse(eb.isSsl());
    assertTrue(ChatConfig.from(Map.of()).cluster().tls().on(), "TLS is on unless switched off");
  }
}
