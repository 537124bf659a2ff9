package chat.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.testing.BridgeClient;
import chat.gateway.GatewaySystem.Response;
import chat.shared.Requests;
import chat.shared.bus.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated hostile input (jqwik) at every HTTP endpoint and every inbound bridge address: malformed
 * and deeply nested JSON, invalid UTF-8, wrong types, control characters, injection strings and path
 * traversal in ids. Each must get a clear 4xx, and the server must stay healthy afterwards.
 */
class HostileInputIT {
  private static final List<String> HOSTILE_STRINGS = List.of(
      "", " ", "../../etc/passwd", "..\\..\\windows", "%2e%2e%2f", "'; DROP TABLE messages;--", "1 OR 1=1",
      "<script>alert(1)</script>", "\u0000", "\u0000abc", "a\nb", "\u202Eevil", "\uD83D", "null", "undefined",
      "x".repeat(300), "{\"$ne\":null}", "${jndi:ldap://x/a}", "chat.user.alice", "00000000-0000-0000-0000-00000000000g",
      "123e4567-e89b-12d3-a456-42661417400", "🙂", "\t", "a b c");

  private static GatewaySystem system;
  private static String alice;
  private static String thread;
  private static BridgeClient bridge;

  @BeforeContainer
  static void start() {
    system = GatewaySystem.start(HostileInputIT.class, env -> env.put("CHAT_RATE_LIMITS", "off"), null);
    alice = "alice-fuzz";
    thread = system.createThread(alice, "Fuzz", "bob-fuzz");
    system.sendMessage(alice, thread, "seed");
    bridge = system.bridge(alice);
  }

  @AfterContainer
  static void stop() {
    if (bridge != null) {
      bridge.close();
    }
    if (system != null) {
      system.close();
    }
  }

  @AfterProperty
  void serverStaysHealthy() {
    assertEquals(200, system.get(null, "/health/ready").status());
    assertEquals(201, system.post(system.token(alice), "/api/threads/" + thread + "/messages",
        new JsonObject().put("body", "still fine")).status());
    JsonObject reply = bridge.request(Addresses.CLIENT_THREAD_READ, new JsonObject().put("threadId", thread));
    assertEquals("rec", reply.getString("type"), reply.encode());
  }

  private static List<String> postEndpoints() {
    return List.of("/api/dev/token", "/api/threads", "/api/threads/" + thread + "/members",
        "/api/threads/" + thread + "/messages", "/api/threads/" + thread + "/read");
  }

  @Property(tries = 600)
  @Label("Malformed, non-object, deeply nested or invalid UTF-8 bodies get 400 or 413 at every endpoint")
  void malformedBodies(@ForAll("malformed") byte[] body) {
    Assume.that(!isJsonObject(body) && !new String(body, StandardCharsets.UTF_8).isBlank());
    for (String path : postEndpoints()) {
      Response r = system.call(HttpMethod.POST, path.startsWith("/api/dev") ? null : system.token(alice), path, Buffer.buffer(body));
      assertTrue(r.status() == 400 || r.status() == 413, path + " -> " + r);
      assertNotNull(r.error(), r.toString());
    }
  }

  @Property(tries = 800)
  @Label("Requests whose fields have wrong types or hostile values get a 4xx error")
  void wrongTypes(@ForAll("wrongRequests") Object[] request) {
    String path = (String) request[0];
    JsonObject body = (JsonObject) request[1];
    Response r = system.call(HttpMethod.POST, path.startsWith("/api/dev") ? null : system.token(alice), path, body);
    assertTrue(r.status() >= 400 && r.status() < 500, path + " " + body.encode() + " -> " + r);
    assertNotNull(r.error(), r.toString());
  }

  @Property(tries = 400)
  @Label("Hostile ids in paths get a 4xx error at every route that takes an id")
  void hostileIds(@ForAll("hostileIds") String id) {
    String enc = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    String token = system.token(alice);
    List<Response> answers = List.of(
        system.get(token, "/api/threads/" + enc + "/messages"),
        system.post(token, "/api/threads/" + enc + "/messages", new JsonObject().put("body", "x")),
        system.post(token, "/api/threads/" + enc + "/read", new JsonObject()),
        system.get(token, "/api/threads/" + enc + "/receipts"),
        system.post(token, "/api/threads/" + enc + "/members", new JsonObject().put("userId", "bob-fuzz")),
        system.delete(token, "/api/threads/" + thread + "/members/" + enc));
    for (Response r : answers) {
      assertTrue(r.status() >= 400 && r.status() < 500, id + " -> " + r);
      assertNotNull(r.error(), r.toString());
    }
  }

  @Property(tries = 800)
  @Label("Hostile bodies sent to the inbound bridge addresses get a failure reply with a 4xx code")
  void hostileBridgeBodies(@ForAll("bridgeAddresses") String anyAddress, @ForAll("bridgeBodies") Object[] frame) {
    String address = frame[0] == null ? anyAddress : (String) frame[0];
    Object body = frame[1];
    JsonObject reply = bridge.request(address, body);
    assertEquals("err", reply.getString("type"), address + " " + Json.encode(body) + " -> " + reply.encode());
    int code = reply.getInteger("failureCode");
    assertTrue(code >= 400 && code < 500, reply.encode());
  }

  @Property(tries = 300)
  @Label("Garbage frames on the bridge are answered with error frames and never break the connection")
  void garbageFrames(@ForAll("garbageFrames") String frame) {
    bridge.sendRaw(frame);
    assertTrue(!bridge.isClosed());
  }

  @Provide
  Arbitrary<byte[]> malformed() {
    Arbitrary<String> nonObjects = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().ofMaxLength(50).map(s -> new JsonArray().add(s).encode()),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.of("true", "false", "null", "\"{}\"", "[]", "[{}]", "{", "}", "{\"body\":", "{\"body\":\"x\"",
            "{'body':'x'}", "{\"body\":\"x\",}", "{body:1}", "\uFEFF{"),
        Arbitraries.integers().between(50, 5000).map(n -> "[".repeat(n) + "]".repeat(n)),
        Arbitraries.integers().between(50, 5000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
        Arbitraries.integers().between(1, 27).map(n -> new JsonObject().put("body", "hello").put("title", "t").encode()
            .substring(0, n)));
    Arbitrary<byte[]> invalidUtf8 = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
    Arbitrary<byte[]> brokenUtf8InJson = Arbitraries.bytes().between((byte) 0x80, (byte) 0xFF).array(byte[].class)
        .ofMinSize(1).ofMaxSize(8).map(bad -> {
          byte[] head = "{\"body\":\"".getBytes(StandardCharsets.UTF_8);
          byte[] tail = "\",\"title\":\"t\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);
          byte[] all = new byte[head.length + bad.length + tail.length];
          System.arraycopy(head, 0, all, 0, head.length);
          System.arraycopy(bad, 0, all, head.length, bad.length);
          System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
          return all;
        }).filter(b -> !isJsonObject(b));
    return Arbitraries.oneOf(nonObjects.map(s -> s.getBytes(StandardCharsets.UTF_8)), invalidUtf8, brokenUtf8InJson);
  }

  @Provide
  Arbitrary<Object[]> wrongRequests() {
    Arbitrary<Object> wrong = wrongValues();
    Arbitrary<Object> hostile = Arbitraries.of(HOSTILE_STRINGS).filter(s -> !Requests.isUserId(s)).map(s -> (Object) s);
    Arbitrary<Object> wrongOrHostile = Arbitraries.oneOf(wrong, hostile);
    String members = "/api/threads/" + thread + "/members";
    String messages = "/api/threads/" + thread + "/messages";
    String read = "/api/threads/" + thread + "/read";
    return Arbitraries.oneOf(
        wrongOrHostile.map(v -> req("/api/dev/token", new JsonObject().put("userId", v))),
        wrong.map(v -> req("/api/threads", new JsonObject().put("title", v))),
        Arbitraries.oneOf(wrong, wrongOrHostile.map(v -> new JsonArray().add("bob-fuzz").add(v)))
            .map(v -> req("/api/threads", new JsonObject().put("title", "t").put("memberIds", v))),
        wrongOrHostile.map(v -> req(members, new JsonObject().put("userId", v))),
        wrong.map(v -> req(messages, new JsonObject().put("body", v))),
        Arbitraries.of("", " ", "\n\t ", "\u3000").map(v -> req(messages, new JsonObject().put("body", v))),
        Arbitraries.oneOf(wrong, Arbitraries.just((Object) "x".repeat(129)), Arbitraries.just((Object) ""))
            .map(v -> req(messages, new JsonObject().put("body", "ok").put("clientMessageId", v))),
        wrongOrHostile.map(v -> req(read, new JsonObject().put("lastReadMessageId", v))));
  }

  @Provide
  Arbitrary<String> hostileIds() {
    return Arbitraries.oneOf(
            Arbitraries.of(HOSTILE_STRINGS),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(60),
            Arbitraries.strings().withChars("./\\%;'\"<>").ofMinLength(1).ofMaxLength(20))
        .filter(s -> !s.isEmpty() && !Requests.isUserId(s) && !Requests.isUuid(s));
  }

  @Provide
  Arbitrary<String> bridgeAddresses() {
    return Arbitraries.of(Addresses.CLIENT_THREAD_JOIN, Addresses.CLIENT_THREAD_LEAVE, Addresses.CLIENT_TYPING_START,
        Addresses.CLIENT_TYPING_STOP, Addresses.CLIENT_MESSAGE_SEND, Addresses.CLIENT_THREAD_READ);
  }

  @Provide
  Arbitrary<Object[]> bridgeBodies() {
    Arbitrary<Object> hostileThread = Arbitraries.oneOf(wrongValues(),
            Arbitraries.of(HOSTILE_STRINGS).map(s -> (Object) s), Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s))
        .filter(t -> !(t instanceof String s && Requests.isUuid(s)));
    String send = Addresses.CLIENT_MESSAGE_SEND;
    return Arbitraries.oneOf(
        wrongValues().map(b -> new Object[] {null, b}),
        Arbitraries.strings().ofMaxLength(100).map(s -> new Object[] {null, s}),
        hostileThread.map(t -> new Object[] {null, new JsonObject().put("threadId", t).put("body", "x").put("userId", "bob-fuzz")}),
        wrongValues().map(b -> new Object[] {send, new JsonObject().put("threadId", thread).put("body", b)}),
        wrongValues().map(b -> new Object[] {send, new JsonObject().put("threadId", thread).put("body", "ok").put("clientMessageId", b)}),
        wrongValues().map(b -> new Object[] {Addresses.CLIENT_THREAD_READ,
            new JsonObject().put("threadId", thread).put("lastReadMessageId", b)}),
        Arbitraries.of("", "   ", "x".repeat(4001)).map(b -> new Object[] {send, new JsonObject().put("threadId", thread).put("body", b)}));
  }

  @Provide
  Arbitrary<String> garbageFrames() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.of("{}", "[]", "{\"type\":1}", "{\"type\":\"send\"}", "{\"type\":\"nope\",\"address\":\"x\"}",
            "{\"type\":\"register\",\"address\":\"chat.user.bob-fuzz\"}", "{\"type\":\"register\",\"address\":\"#\"}",
            "{\"type\":\"publish\",\"address\":\"chat.thread." + "0".repeat(8) + "\",\"body\":{}}",
            "{\"type\":\"send\",\"address\":\"messaging.message.send\",\"body\":{}}",
            "{\"type\":\"send\",\"address\":\"chat.message.send\",\"body\":{},\"replyAddress\":\"" + "r".repeat(100) + "\"}"),
        Arbitraries.strings().ofMaxLength(300).map(s -> "{\"type\":\"register\",\"address\":" + Json.encode(s) + "}"),
        Arbitraries.integers().between(10, 3000).map(n -> "[".repeat(n)));
  }

  private static Arbitrary<Object> wrongValues() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) new JsonArray().add(s)),
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) new JsonObject().put("x", s)),
        Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as((a, b) -> (Object) new JsonArray().add(a).add(b)));
  }

  private static Object[] req(String path, JsonObject body) {
    return new Object[] {path, body};
  }

  private static boolean isJsonObject(byte[] body) {
    try {
      return Json.decodeValue(Buffer.buffer(body)) instanceof JsonObject;
    } catch (RuntimeException | StackOverflowError e) {
      return false;
    }
  }
}
