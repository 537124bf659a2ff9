package chat.gateway;

import static chat.gateway.GatewaySystem.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.gateway.GatewaySystem.Response;
import chat.shared.testing.OneRequest;
import chat.shared.testing.OneRequest.Answer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the gateway, whichever layer gives it (the HTTP codec, the router, a route), carries the
 * contract's {@code {"error","message"}} body, and a client's garbage is never logged as a server error.
 */
class ErrorBodiesIT {
  private static final String MULTIPART_TYPE = "multipart/form-data; boundary=XyZ";
  private static final String MULTIPART = "--XyZ\r\nContent-Disposition: form-data; name=\"lastReadMessageId\"\r\n\r\n"
      + "x\r\n--XyZ--\r\n";

  private static GatewaySystem system;

  private final String alice = user("alice");
  private final String bob = user("bob");

  @BeforeAll
  static void start() {
    system = GatewaySystem.start(ErrorBodiesIT.class, env -> env.put("CHAT_RATE_LIMITS", "off"), null);
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  @DisplayName("A malformed percent-encoding in a path or a query is 400 invalid_request with the error body, and no ERROR is logged")
  void malformedPercentEncoding() {
    String thread = system.createThread(alice, "Encoding", bob);
    String token = system.token(alice);
    List<String> paths = List.of(
        "/api/threads/%ZZ/messages",
        "/api/threads/" + thread + "/messages?limit=%ZZ",
        "/api/threads/%/messages",
        "/api/threads?limit=%E0%A4%A",
        "/api/threads/" + thread + "/receipts?x=%ZZ",
        "/%ZZ",
        "/webjars/%ZZ",
        "/eventbus/info?access_token=%ZZ",
        "/api/threads?limit=" + "9".repeat(10_000));
    List<String> answers = new ArrayList<>();
    String log = capturingStderr(() -> {
      for (String path : paths) {
        for (String auth : new String[] {token, null}) {
          Answer a;
          try {
            a = send(HttpMethod.GET, path, auth, null, null);
          } catch (RuntimeException e) {
            throw new AssertionError(path.substring(0, Math.min(60, path.length())) + " -> " + e, e);
          }
          answers.add(path + (auth == null ? " (no token)" : "") + " -> " + a);
          assertTrue(a.status() >= 400 && a.status() < 500, path + " -> " + a);
          assertTrue(a.contentType() != null && a.contentType().startsWith("application/json"), path + " -> " + a);
          JsonObject body = new JsonObject(a.body());
          assertTrue(body.getString("error") != null && body.getString("message") != null, path + " -> " + a);
        }
      }
      Answer history = send(HttpMethod.GET, "/api/threads/" + thread + "/messages?limit=%ZZ", token, null, null);
      assertEquals(400, history.status(), history.toString());
      assertEquals("invalid_request", new JsonObject(history.body()).getString("error"));
      Answer path = send(HttpMethod.GET, "/api/threads/%ZZ/messages", token, null, null);
      assertEquals(400, path.status(), path.toString());
      assertEquals("invalid_request", new JsonObject(path.body()).getString("error"));
    });
    assertFalse(log.contains("Unhandled exception in router"), "client garbage logged as a router failure:\n" + log);
    assertFalse(log.contains(" ERROR "), "client garbage logged at ERROR:\n" + log + "\n" + answers);
  }

  @Test
  @DisplayName("A multipart body where JSON is expected is invalid_request, on POST .../read too, and marks nothing read")
  void nonJsonBodies() {
    String thread = system.createThread(alice, "Multipart", bob);
    system.sendMessage(alice, thread, "one");
    system.sendMessage(alice, thread, "two");
    String bobToken = system.token(bob);
    String log = capturingStderr(() -> {
      for (String path : List.of("/api/threads/" + thread + "/read", "/api/threads/" + thread + "/messages",
          "/api/threads", "/api/threads/" + thread + "/members", "/api/dev/token")) {
        Answer a = send(HttpMethod.POST, path, path.startsWith("/api/dev") ? null : bobToken, MULTIPART_TYPE, MULTIPART);
        assertEquals(400, a.status(), path + " -> " + a);
        assertEquals("invalid_request", new JsonObject(a.body()).getString("error"), path + " -> " + a);
      }
    });
    assertFalse(log.contains(" ERROR "), log);
    Response badge = system.get(bobToken, "/api/threads/unread");
    assertEquals(2, badge.json().getLong("total"), "the refused read marked nothing: " + badge);
    // a JSON body without a Content-Type (curl -d) still works
    Answer plain = send(HttpMethod.POST, "/api/threads/" + thread + "/read", bobToken,
        "application/x-www-form-urlencoded", "{}");
    assertEquals(200, plain.status(), plain.toString());
  }

  private static Answer send(HttpMethod method, String uri, String token, String contentType, String body) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(system.port).setURI(uri);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      options.putHeader("Content-Type", contentType);
    }
    return OneRequest.send(system.vertx, options, body);
  }

  static String capturingStderr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
      original.print(captured.toString(StandardCharsets.UTF_8));
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
