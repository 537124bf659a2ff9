package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.model.Events;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ThreadsIT {
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(ThreadsIT.class);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static List<String> ids(JsonObject list) {
    return list.getJsonArray("threads").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private static JsonObject list(String user) {
    return f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", user));
  }

  private static JsonObject find(JsonObject list, String id) {
    return list.getJsonArray("threads").stream().map(o -> (JsonObject) o)
        .filter(t -> t.getString("id").equals(id)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("Creating a thread makes the caller its admin and the others members, known by name or by id")
  void createThread() {
    f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "ann").put("name", "Ann Smith"));
    JsonObject t = f.call(Addresses.THREAD_CREATE, new JsonObject().put("userId", "ann")
        .put("title", "  Plans  ").put("memberIds", new JsonArray(List.of("ben", "cid", "ben", "ann"))));
    assertEquals(Set.of("id", "title", "createdAt", "updatedAt", "lastSeq", "lastMessage", "unread", "muted", "memberCount", "members"),
        t.fieldNames());
    assertEquals(3L, t.getLong("memberCount"));
    assertTrue(t.getString("id").matches("[0-9a-f-]{36}"));
    assertEquals("Plans", t.getString("title"));
    assertEquals(0L, t.getLong("lastSeq"));
    assertEquals(0L, t.getLong("unread"));
    assertNull(t.getValue("lastMessage"));
    assertTrue(t.containsKey("lastMessage"));
    assertEquals(t.getString("createdAt"), t.getString("updatedAt"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("userId", "ann").put("name", "Ann Smith").put("role", "admin"))
        .add(new JsonObject().put("userId", "ben").put("name", "ben").put("role", "member"))
        .add(new JsonObject().put("userId", "cid").put("name", "cid").put("role", "member")), t.getJsonArray("members"));
    assertEquals("ben", f.row("SELECT name FROM users WHERE id = $1", "ben").getString(0), "a placeholder user");
    JsonObject alone = f.call(Addresses.THREAD_CREATE, new JsonObject().put("userId", "ann").put("title", "Notes"));
    assertEquals(1, alone.getJsonArray("members").size());
  }

  @Test
  @DisplayName("Every member of a new thread, the creator's other devices included, is told thread:added")
  void threadAddedToEveryMember() {
    var dora = f.listen(Addresses.user("dora"));
    var eli = f.listen(Addresses.user("eli"));
    JsonObject t = f.createThread("dora", "Hello", "eli");
    for (var inbox : List.of(dora, eli)) {
      JsonObject e = inbox.await(j -> Events.THREAD_ADDED.equals(j.getString("type")));
      assertEquals(t, e.getJsonObject("thread"));
    }
  }

  @Test
  @DisplayName("Bad titles or member lists are refused and create nothing")
  void invalidCreate() {
    long before = f.count("SELECT count(*) FROM threads");
    JsonObject base = new JsonObject().put("userId", "ann").put("title", "ok");
    for (JsonObject bad : List.of(
        base.copy().put("title", "   "), base.copy().putNull("title"), base.copy().put("title", 12),
        base.copy().put("title", "t".repeat(201)), base.copy().put("title", "nul\u0000"),
        base.copy().put("memberIds", "ben"), base.copy().put("memberIds", new JsonArray().add(3)),
        base.copy().put("memberIds", new JsonArray().add("has space")),
        base.copy().put("memberIds", new JsonArray(IntStream.range(0, 501).mapToObj(i -> "u" + i).toList())))) {
      assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.THREAD_CREATE, bad), bad.encode());
    }
    assertEquals(before, f.count("SELECT count(*) FROM threads"));
    assertEquals("t".repeat(200), f.call(Addresses.THREAD_CREATE, base.copy().put("title", "t".repeat(200))).getString("title"));
  }

  /** Activity times have millisecond precision: lets the clock pass {@code field} so the next one is later. */
  private static JsonObject after(JsonObject thing, String field) {
    java.time.Instant t = java.time.Instant.parse(thing.getString(field));
    while (!java.time.Instant.now().isAfter(t.plusMillis(1))) {
      Thread.onSpinWait();
    }
    return thing;
  }

  private static String created(JsonObject thread) {
    return after(thread, "createdAt").getString("id");
  }

  @Test
  @DisplayName("The thread list shows the most recently active thread first, with its last message and the reader's unread count")
  void listOrderAndUnread() {
    String t1 = created(f.createThread("gil", "One", "hal"));
    String t2 = created(f.createThread("gil", "Two", "hal"));
    String t3 = created(f.createThread("hal", "Three", "gil"));
    assertEquals(List.of(t3, t2, t1), ids(list("gil")));
    f.send("hal", t1, "ping");
    JsonObject last = after(f.send("hal", t1, "ping again"), "createdAt");
    assertEquals(List.of(t1, t3, t2), ids(list("gil")));
    JsonObject gilView = find(list("gil"), t1);
    assertEquals(2L, gilView.getLong("unread"));
    assertEquals(2L, gilView.getLong("lastSeq"));
    assertEquals(last, gilView.getJsonObject("lastMessage"));
    assertEquals(gilView.getString("updatedAt"), last.getString("createdAt"));
    assertEquals(0L, find(list("hal"), t1).getLong("unread"), "one's own messages are never unread");
    assertNull(find(list("gil"), t2).getValue("lastMessage"));
    assertEquals(2, find(list("gil"), t2).getJsonArray("members").size());
    f.send("gil", t2, "back");
    assertEquals(List.of(t2, t1, t3), ids(list("gil")));
    assertEquals(List.of(t2), ids(f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", "gil").put("limit", 1))));
    assertEquals(List.of(), ids(list("nobody")));
    assertEquals(ErrorCode.INVALID_REQUEST,
        f.failure(Addresses.THREAD_LIST, new JsonObject().put("userId", "gil").put("limit", 501)));
    assertEquals(ErrorCode.INVALID_REQUEST,
        f.failure(Addresses.THREAD_LIST, new JsonObject().put("userId", "gil").put("limit", "10")));
  }

  @Test
  @DisplayName("A user's display name is stored on first sight, changes when a new one is given, and is kept when none is")
  void userUpsert() {
    assertEquals(new JsonObject().put("userId", "ivy"),
        f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "ivy").put("name", "Ivy")));
    assertEquals("Ivy", f.row("SELECT name FROM users WHERE id = $1", "ivy").getString(0));
    f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "ivy").put("name", "Ivy Lee"));
    assertEquals("Ivy Lee", f.row("SELECT name FROM users WHERE id = $1", "ivy").getString(0));
    f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "ivy"));
    assertEquals("Ivy Lee", f.row("SELECT name FROM users WHERE id = $1", "ivy").getString(0));
    f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "jon"));
    assertEquals("jon", f.row("SELECT name FROM users WHERE id = $1", "jon").getString(0));
    assertEquals(ErrorCode.INVALID_REQUEST,
        f.failure(Addresses.USER_UPSERT, new JsonObject().put("userId", "ivy").put("name", "n".repeat(201))));
    assertEquals(ErrorCode.INVALID_REQUEST,
        f.failure(Addresses.USER_UPSERT, new JsonObject().put("userId", "ivy").put("name", 5)));
    assertEquals(ErrorCode.INVALID_REQUEST,
        f.failure(Addresses.USER_UPSERT, new JsonObject().put("userId", "bad id").put("name", "x")));
    String t = f.createThread("ivy", "Named", "kim").getString("id");
    f.call(Addresses.USER_UPSERT, new JsonObject().put("userId", "kim").put("name", "Kim"));
    JsonObject view = find(list("ivy"), t);
    assertEquals("Kim", view.getJsonArray("members").getJsonObject(1).getString("name"),
        "a placeholder gets its real name when the user logs in");
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_CHECK,
        new JsonObject().put("userId", "ivy").put("threadId", UUID.randomUUID().toString())));
  }
}
