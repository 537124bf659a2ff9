package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Edits, deletes and the per-thread version behind changedAfter. */
class EditsIT {
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(EditsIT.class);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static JsonObject ref(String user, String thread, String messageId) {
    return new JsonObject().put("userId", user).put("threadId", thread).put("messageId", messageId);
  }

  private static JsonObject changes(String user, String thread, long after, long limit) {
    return f.call(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", user).put("threadId", thread)
        .put("changedAfter", after).put("limit", limit));
  }

  @Test
  @DisplayName("An author's edit gets the thread's next version and editedAt, is published after commit as message:updated, and history shows the new body")
  void editByAuthor() {
    String t = f.createThread("alice", "Edits", "bob").getString("id");
    JsonObject first = f.send("alice", t, "helo");
    f.send("bob", t, "hi");
    MessagingFixture.Inbox thread = f.listen(Addresses.thread(t));
    MessagingFixture.Inbox bob = f.listen(Addresses.user("bob"));

    JsonObject edited = f.call(Addresses.MESSAGE_EDIT, ref("alice", t, first.getString("id")).put("body", "  hello "))
        .getJsonObject("message");
    assertEquals("hello", edited.getString("body"));
    assertEquals(1L, edited.getLong("seq"));
    assertEquals(3L, edited.getLong("version"), "two sends, then the edit");
    assertNotNull(edited.getString("editedAt"));
    assertEquals(first.getString("createdAt"), edited.getString("createdAt"));
    JsonObject event = thread.await(e -> "message:updated".equals(e.getString("type")));
    assertEquals(new JsonObject().put("type", "message:updated").put("threadId", t).put("message", edited), event);
    assertEquals(edited, f.call(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "bob").put("threadId", t))
        .getJsonArray("messages").getJsonObject(0));

    // The same body again changes nothing: no version, no event.
    JsonObject again = f.call(Addresses.MESSAGE_EDIT, ref("alice", t, first.getString("id")).put("body", "hello"));
    assertFalse(again.getBoolean("changed"));
    assertEquals(3L, again.getJsonObject("message").getLong("version"));
    // The newest message's edit reaches members' user addresses (thread-list previews); an older one's does not.
    JsonObject last = f.send("bob", t, "typo");
    f.call(Addresses.MESSAGE_EDIT, ref("bob", t, last.getString("id")).put("body", "fixed"));
    JsonObject preview = bob.await(e -> "message:updated".equals(e.getString("type")));
    assertEquals("fixed", preview.getJsonObject("message").getString("body"));
    assertEquals(1, bob.all().stream().filter(e -> "message:updated".equals(e.getString("type"))).count(),
        "the edit of an older message did not go to user addresses");
    assertEquals(2, thread.all().stream().filter(e -> "message:updated".equals(e.getString("type"))).count());
  }

  @Test
  @DisplayName("Edits are refused to anyone but the author, to non-members, for unknown, foreign or deleted messages, and with a bad body; nothing changes")
  void editRefusals() {
    String t = f.createThread("alice", "Refusals", "bob").getString("id");
    String other = f.createThread("alice", "Other").getString("id");
    String m = f.send("alice", t, "mine").getString("id");
    String foreign = f.send("alice", other, "elsewhere").getString("id");
    assertEquals(ErrorCode.FORBIDDEN, f.failure(Addresses.MESSAGE_EDIT, ref("bob", t, m).put("body", "x")));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_EDIT, ref("carol", t, m).put("body", "x")));
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, foreign).put("body", "x")));
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND,
        f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, UUID.randomUUID().toString()).put("body", "x")));
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, "not-a-uuid").put("body", "x")));
    assertEquals(ErrorCode.THREAD_NOT_FOUND,
        f.failure(Addresses.MESSAGE_EDIT, ref("alice", UUID.randomUUID().toString(), m).put("body", "x")));
    assertEquals(ErrorCode.EMPTY_MESSAGE, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, m).put("body", "   ")));
    assertEquals(ErrorCode.MESSAGE_TOO_LONG, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, m).put("body", "x".repeat(4001))));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, m).put("body", 5)));
    assertEquals(ErrorCode.EMPTY_MESSAGE, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, m)), "as for a send");
    f.call(Addresses.MESSAGE_DELETE, ref("alice", t, m));
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND, f.failure(Addresses.MESSAGE_EDIT, ref("alice", t, m).put("body", "back")));
    assertEquals(2L, f.count("SELECT version FROM threads WHERE id = $1", UUID.fromString(t)), "one send and one delete");
  }

  @Test
  @DisplayName("A delete by the author or an admin leaves a tombstone with its seq, publishes message:deleted, and a second delete does nothing; a plain member cannot delete another's message")
  void deletes() {
    String t = f.createThread("alice", "Deletes", "bob", "carol").getString("id");
    JsonObject bobs = f.send("bob", t, "by bob");
    JsonObject carols = f.send("carol", t, "by carol");
    MessagingFixture.Inbox thread = f.listen(Addresses.thread(t));
    MessagingFixture.Inbox alice = f.listen(Addresses.user("alice"));

    assertEquals(ErrorCode.FORBIDDEN, f.failure(Addresses.MESSAGE_DELETE, ref("carol", t, bobs.getString("id"))));
    assertTrue(f.call(Addresses.MESSAGE_DELETE, ref("bob", t, bobs.getString("id"))).getBoolean("deleted"));
    assertTrue(f.call(Addresses.MESSAGE_DELETE, ref("alice", t, carols.getString("id"))).getBoolean("deleted"), "the admin");
    assertFalse(f.call(Addresses.MESSAGE_DELETE, ref("bob", t, bobs.getString("id"))).getBoolean("deleted"));

    JsonObject event = thread.await(e -> "message:deleted".equals(e.getString("type")));
    assertEquals(new JsonObject().put("type", "message:deleted").put("threadId", t)
        .put("messageId", bobs.getString("id")).put("seq", 1L), event);
    assertEquals(2, thread.all().size(), "one event per delete that happened");
    JsonObject preview = alice.await(e -> "message:deleted".equals(e.getString("type")));
    assertEquals(carols.getString("id"), preview.getString("messageId"), "only the newest message's delete went to user addresses");
    assertEquals(1, alice.all().size());

    JsonArray history = f.call(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "bob").put("threadId", t))
        .getJsonArray("messages");
    assertEquals(2, history.size());
    JsonObject tomb = history.getJsonObject(0);
    assertEquals(1L, tomb.getLong("seq"));
    assertEquals(3L, tomb.getLong("version"));
    assertEquals("", tomb.getString("body"));
    assertTrue(tomb.getBoolean("deleted"));
    assertEquals(new JsonArray(), tomb.getJsonArray("attachments"));
    assertNull(tomb.getValue("editedAt"));
    assertEquals("", f.row("SELECT body FROM messages WHERE id = $1", UUID.fromString(bobs.getString("id"))).getString("body"),
        "the text is gone from the store");
    JsonObject list = f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", "bob")).getJsonArray("threads")
        .getJsonObject(0);
    assertTrue(list.getJsonObject("lastMessage").getBoolean("deleted"), "the listing previews the tombstone");
    assertEquals(ErrorCode.MESSAGE_NOT_FOUND, f.failure(Addresses.MESSAGE_DELETE, ref("bob", t, UUID.randomUUID().toString())));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_DELETE, ref("dan", t, bobs.getString("id"))));
  }

  @Test
  @DisplayName("changedAfter from every version, applied page by page over the state as it was at that version, reproduces the store's state")
  void changedAfterReproducesState() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String t = f.createThread("alice", "Replay", "bob").getString("id");
    String[] users = {"alice", "bob"};
    // The state (id -> message) as of each version, read from the store by seq after every change.
    Map<Long, Map<String, JsonObject>> states = new HashMap<>();
    states.put(0L, Map.of());
    List<String[]> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int op = random.nextInt(10);
      if (op < 5 || ids.isEmpty()) {
        String u = users[random.nextInt(2)];
        ids.add(new String[] {f.send(u, t, "m" + i).getString("id"), u});
      } else {
        String[] m = ids.get(random.nextInt(ids.size()));
        if (op < 8) {
          f.request(Addresses.MESSAGE_EDIT, ref(m[1], t, m[0]).put("body", "e" + i)).otherwiseEmpty().await();
        } else {
          f.call(Addresses.MESSAGE_DELETE, ref("alice", t, m[0]));
        }
      }
      long version = f.count("SELECT version FROM threads WHERE id = $1", UUID.fromString(t));
      states.put(version, snapshot(t));
    }
    Map<String, JsonObject> finalState = snapshot(t);
    long top = f.count("SELECT version FROM threads WHERE id = $1", UUID.fromString(t));
    for (Map.Entry<Long, Map<String, JsonObject>> start : states.entrySet()) {
      Map<String, JsonObject> replay = new LinkedHashMap<>(start.getValue());
      long after = start.getKey();
      long pageLimit = 1 + random.nextInt(7);
      while (true) {
        JsonObject page = changes("bob", t, after, pageLimit);
        JsonArray messages = page.getJsonArray("messages");
        for (Object o : messages) {
          JsonObject m = (JsonObject) o;
          assertTrue(m.getLong("version") > after, "in version order, each once (seed " + seed + ")");
          after = m.getLong("version");
          replay.put(m.getString("id"), m);
        }
        if (!page.getBoolean("hasMore")) {
          break;
        }
        assertEquals(pageLimit, messages.size(), "a page with more after it is full");
      }
      assertEquals(top, Math.max(after, start.getKey()), "caught up to the top version");
      assertEquals(finalState, replay, "replayed from version " + start.getKey() + " (seed " + seed + ")");
    }
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "bob").put("threadId", t).put("changedAfter", 1L).put("afterSeq", 1L)));
    assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "bob").put("threadId", t).put("changedAfter", -1L)));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MESSAGE_HISTORY,
        new JsonObject().put("userId", "zed").put("threadId", t).put("changedAfter", 0L)));
  }

  @Test
  @DisplayName("Under concurrent sends, edits and deletes in one thread every version from 1 to the thread's is handed out exactly once")
  void versionsGapFreeUnderConcurrency() {
    String t = f.createThread("alice", "Race", "bob", "carol").getString("id");
    List<JsonObject> seeds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      seeds.add(f.send(i % 2 == 0 ? "bob" : "carol", t, "seed " + i));
    }
    List<Future<JsonObject>> sends = new ArrayList<>();
    List<Future<JsonObject>> edits = new ArrayList<>();
    List<Future<JsonObject>> deletes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String u = i % 2 == 0 ? "bob" : "carol";
      sends.add(f.request(Addresses.MESSAGE_SEND, MessagingFixture.sendRequest(u, t, "c" + i)));
      JsonObject target = seeds.get(i % seeds.size());
      if (i % 3 == 0) {
        deletes.add(f.request(Addresses.MESSAGE_DELETE, ref("alice", t, target.getString("id"))));
      } else {
        edits.add(f.request(Addresses.MESSAGE_EDIT, ref(target.getString("authorId"), t, target.getString("id"))
            .put("body", "edit " + i)).otherwiseEmpty());
      }
    }
    Future.join(new ArrayList<>(sends)).otherwiseEmpty().await();
    Future.join(new ArrayList<>(edits)).otherwiseEmpty().await();
    Future.join(new ArrayList<>(deletes)).otherwiseEmpty().await();

    List<Long> handedOut = new ArrayList<>();
    seeds.forEach(s -> handedOut.add(s.getLong("version")));
    sends.forEach(s -> handedOut.add(s.result().getJsonObject("message").getLong("version")));
    for (Future<JsonObject> e : edits) {
      if (e.result() != null && e.result().getBoolean("changed")) {
        handedOut.add(e.result().getJsonObject("message").getLong("version"));
      }
    }
    for (var row : f.db.preparedQuery("SELECT version FROM messages WHERE thread_id = $1 AND deleted")
        .execute(io.vertx.sqlclient.Tuple.of(UUID.fromString(t))).await()) {
      handedOut.add(row.getLong("version"));
    }
    long top = f.count("SELECT version FROM threads WHERE id = $1", UUID.fromString(t));
    Set<Long> distinct = new TreeSet<>(handedOut);
    assertEquals(handedOut.size(), distinct.size(), "no version handed out twice: " + handedOut);
    Set<Long> expected = new HashSet<>();
    for (long v = 1; v <= top; v++) {
      expected.add(v);
    }
    assertEquals(expected, distinct, "every version from 1 to " + top + " was one change");
    assertEquals(f.count("SELECT last_seq FROM threads WHERE id = $1", UUID.fromString(t)),
        f.count("SELECT count(*) FROM messages WHERE thread_id = $1", UUID.fromString(t)), "seq stays gap-free");
  }

  /** Every message of the thread as history returns it, by id. */
  private static Map<String, JsonObject> snapshot(String t) {
    Map<String, JsonObject> state = new LinkedHashMap<>();
    long after = 0;
    while (true) {
      JsonObject page = f.call(Addresses.MESSAGE_HISTORY, new JsonObject().put("userId", "alice").put("threadId", t)
          .put("afterSeq", after).put("limit", 200L));
      for (Object o : page.getJsonArray("messages")) {
        JsonObject m = (JsonObject) o;
        state.put(m.getString("id"), m);
        after = m.getLong("seq");
      }
      if (!page.getBoolean("hasMore")) {
        return state;
      }
    }
  }
}
