package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each scenario end to end against {@link FakeChatServer}, with tiny sizes and one-second windows. */
class ScenariosTest {
  private Vertx serverVertx;
  private Vertx vertx;
  private FakeChatServer server;

  @BeforeEach
  void setUp() {
    serverVertx = Vertx.vertx();
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    server = new FakeChatServer(serverVertx);
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
    serverVertx.close().await();
  }

  private Run run(int port) {
    URI base = URI.create("http://127.0.0.1:" + port);
    return new Run(vertx, new ChatApi(vertx, base, 16), base, 0, "t" + System.nanoTime(), 8);
  }

  @Test
  @DisplayName("Fan-out counts every delivery to every member connection and reports none lost when none is")
  void fanoutNothingLost() throws Exception {
    int port = server.start();
    JsonObject r = new FanoutScenario(run(port), Args.parse("fanout", "--threads", "4", "--members", "3", "--rate", "200",
        "--duration", "1", "--drain", "3")).run();
    assertEquals(0, r.getLong("unprobedConnections"), r.encode());
    assertEquals(200, r.getLong("acked"), r.encode());
    assertEquals(0, r.getLong("lost"), r.encode());
    assertEquals(0, r.getLong("duplicates"), r.encode());
    assertEquals((200 + 4) * 3, r.getJsonObject("deliveries").getLong("delivered"), r.encode());
    assertEquals(600, r.getJsonObject("e2eLatencyMs").getLong("count"), r.encode());
  }

  @Test
  @DisplayName("Fan-out reports a delivery the server silently dropped as LOST")
  void fanoutDetectsLoss() throws Exception {
    int port = server.dropOneDelivery().start();
    JsonObject r = new FanoutScenario(run(port), Args.parse("fanout", "--threads", "2", "--members", "3", "--rate", "50",
        "--duration", "1", "--drain", "1")).run();
    assertEquals(1, r.getLong("lost"), r.encode());
  }

  private Run cluster(int... ports) {
    List<URI> bases = Arrays.stream(ports).mapToObj(p -> URI.create("http://127.0.0.1:" + p)).toList();
    return new Run(vertx, bases.stream().map(b -> new ChatApi(vertx, b, 16)).toList(), bases, Map.of(), "t" + System.nanoTime(), 8);
  }

  @Test
  @DisplayName("Through two gateways, fan-out spreads connections and sends over both and counts deliveries that crossed between them")
  void fanoutThroughTwoGateways() throws Exception {
    FakeChatServer second = new FakeChatServer(serverVertx, server);
    int p1 = server.start();
    int p2 = second.start();
    JsonObject r = new FanoutScenario(cluster(p1, p2), Args.parse("fanout", "--threads", "4", "--members", "4", "--rate", "200",
        "--duration", "1", "--drain", "3")).run();
    assertEquals(2, r.getInteger("gateways"), r.encode());
    assertEquals(0, r.getLong("lost"), r.encode());
    assertEquals((200 + 4) * 4, r.getJsonObject("deliveries").getLong("delivered"), r.encode());
    assertEquals(8, server.sockets(), "half the 16 members on each gateway");
    assertEquals(8, second.sockets());
    assertTrue(server.sends() >= 100 && second.sends() >= 100, server.sends() + " / " + second.sends());
  }

  @Test
  @DisplayName("Through two gateways, send rate's lanes send through both")
  void sendrateThroughTwoGateways() {
    FakeChatServer second = new FakeChatServer(serverVertx, server);
    int p1 = server.start();
    int p2 = second.start();
    JsonObject r = new SendRateScenario(cluster(p1, p2), Args.parse("sendrate", "--concurrency", "4", "--threads", "2",
        "--warmup", "0", "--duration", "1")).run();
    assertEquals(2, r.getInteger("gateways"), r.encode());
    assertTrue(server.sends() > 10 && second.sends() > 10, server.sends() + " / " + second.sends());
  }

  @Test
  @DisplayName("Idle sends nothing and reports each named process's CPU at rest")
  void idle() throws Exception {
    int port = server.start();
    long self = ProcessHandle.current().pid();
    URI base = URI.create("http://127.0.0.1:" + port);
    Run run = new Run(vertx, List.of(new ChatApi(vertx, base, 4)), List.of(base), Map.of("a", self, "b", self), "t", 1);
    JsonObject r = new IdleScenario(run, Args.parse("idle", "--duration", "1")).run();
    assertEquals(0, server.sends(), r.encode());
    JsonObject cpu = r.getJsonObject("cpu");
    assertTrue(cpu.getDouble("seconds") >= 1.0, r.encode());
    assertTrue(cpu.getJsonObject("processes").containsKey("a") && cpu.getJsonObject("processes").containsKey("b"), r.encode());
    assertTrue(cpu.containsKey("serverCores"), r.encode());
  }

  @Test
  @DisplayName("Send rate counts acknowledged sends and tallies failed ones by HTTP status")
  void sendrateCountsErrors() {
    int port = server.failEvery(10).start();
    JsonObject r = new SendRateScenario(run(port), Args.parse("sendrate", "--concurrency", "4", "--threads", "2",
        "--warmup", "0", "--duration", "1")).run();
    assertTrue(r.getLong("sends") > 0, r.encode());
    assertTrue(r.getJsonObject("errors").getLong("503", 0L) > 0, r.encode());
    assertEquals(r.getLong("sends"), r.getJsonObject("latencyMs").getLong("count"));
  }

  @Test
  @DisplayName("Unread seeds the planned messages through the API and checks the badge total the server reports")
  void unreadSeedsAndMeasures() {
    int port = server.start();
    JsonObject r = new UnreadScenario(run(port), Args.parse("unread", "--threads", "5", "--messages", "50", "--big-threads", "8",
        "--light-messages", "2", "--duration", "1", "--concurrency", "2")).run();
    assertTrue(r.getBoolean("seedComplete"), r.encode());
    assertEquals(56, r.getLong("seeded"));
    JsonArray users = r.getJsonArray("users");
    assertEquals(4, users.size(), "each user one request at a time, then at the given concurrency");
    assertEquals(8, users.getJsonObject(1).getInteger("threads"));
    assertEquals(1, users.getJsonObject(1).getInteger("concurrency"));
    assertEquals(2, users.getJsonObject(3).getInteger("concurrency"));
    assertTrue(users.getJsonObject(0).getLong("requests") > 0, r.encode());
  }

  @Test
  @DisplayName("Connections opens the idle sockets, times a broadcast reaching all of them and reports heap per connection")
  void connections() throws Exception {
    int port = server.start();
    JsonObject r = new ConnectionsScenario(run(port), Args.parse("connections", "--count", "60", "--users", "3",
        "--broadcasts", "2")).run();
    assertEquals(60, r.getInteger("connections"), r.encode());
    JsonArray b = r.getJsonArray("broadcastMs");
    assertTrue(b.getDouble(0) >= 0 && b.getDouble(1) >= 0, r.encode());
    assertEquals(1000, r.getLong("heapBytesPerConnection"), r.encode());
  }
}
