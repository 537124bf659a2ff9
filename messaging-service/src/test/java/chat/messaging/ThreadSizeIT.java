package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.ChatException;
import chat.shared.ErrorCode;
import chat.shared.bus.Addresses;
import chat.shared.model.ThreadSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bounded threads: the member cap on create and add, bounded summaries, and the paged member list. */
class ThreadSizeIT {
  private static final int MAX = 25;
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(ThreadSizeIT.class, env -> env.put("MAX_THREAD_MEMBERS", String.valueOf(MAX)));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String[] users(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + "-" + String.format("%03d", i)).toArray(String[]::new);
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 6);
  }

  private static JsonObject add(String caller, String thread, String member) {
    return new JsonObject().put("userId", caller).put("threadId", thread).put("memberId", member);
  }

  @Test
  @DisplayName("A thread is created with up to MAX_THREAD_MEMBERS members, one more is thread_full; its summary carries memberCount and the first 20, admin first")
  void capOnCreate() {
    String owner = unique("zed");
    JsonObject full = f.createThread(owner, "Full", users(unique("m"), MAX - 1));
    assertEquals(MAX, full.getLong("memberCount"));
    JsonArray shown = full.getJsonArray("members");
    assertEquals(ThreadSummary.MAX_MEMBERS, shown.size());
    assertEquals(owner, shown.getJsonObject(0).getString("userId"), "the admin comes first although 'zed' sorts last");
    assertEquals(ErrorCode.THREAD_FULL, f.failure(Addresses.THREAD_CREATE, new JsonObject().put("userId", owner)
        .put("title", "Too big").put("memberIds", new JsonArray(List.of(users(unique("m"), MAX))))));

    JsonObject listed = f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", owner)).getJsonArray("threads")
        .getJsonObject(0);
    assertEquals(MAX, listed.getLong("memberCount"));
    assertEquals(ThreadSummary.MAX_MEMBERS, listed.getJsonArray("members").size());
    assertEquals(owner, listed.getJsonArray("members").getJsonObject(0).getString("userId"));
  }

  @Test
  @DisplayName("Adding to a full thread is thread_full, re-adding a member is not; after a removal one more fits")
  void capOnAdd() {
    String owner = unique("amy");
    String[] members = users(unique("m"), MAX - 1);
    String t = f.createThread(owner, "Room", members).getString("id");
    assertEquals(ErrorCode.THREAD_FULL, f.failure(Addresses.MEMBER_ADD, add(owner, t, unique("late"))));
    assertFalse(f.call(Addresses.MEMBER_ADD, add(owner, t, members[3])).getBoolean("added"), "already a member: 200");
    f.call(Addresses.MEMBER_REMOVE, add(owner, t, members[0]));
    JsonObject added = f.call(Addresses.MEMBER_ADD, add(owner, t, unique("late")));
    assertTrue(added.getBoolean("added"));
    assertEquals(MAX, added.getJsonObject("thread").getLong("memberCount"));
    assertEquals(ErrorCode.THREAD_FULL, f.failure(Addresses.MEMBER_ADD, add(owner, t, unique("later"))));
  }

  @Test
  @DisplayName("Concurrent adds never pass the cap, and the count stays equal to the members")
  void concurrentAddsHoldTheCap() {
    String owner = unique("bea");
    String t = f.createThread(owner, "Rush", users(unique("m"), 4)).getString("id");
    List<Future<JsonObject>> adds = new ArrayList<>();
    for (String u : users(unique("rush"), 40)) {
      adds.add(f.request(Addresses.MEMBER_ADD, add(owner, t, u)));
    }
    int ok = 0;
    int full = 0;
    for (Future<JsonObject> a : adds) {
      try {
        a.await();
        ok++;
      } catch (ChatException e) {
        assertEquals(ErrorCode.THREAD_FULL, e.code());
        full++;
      }
    }
    assertEquals(MAX - 5, ok);
    assertEquals(40 - (MAX - 5), full);
    assertEquals(MAX, f.count("SELECT count(*) FROM thread_members WHERE thread_id = $1::uuid", t));
    assertEquals(MAX, f.count("SELECT member_count FROM threads WHERE id = $1::uuid", t));
  }

  @Test
  @DisplayName("The member list pages admins first then by id, every member once, for members only; a forged cursor is invalid_request")
  void pagedMembers() {
    String owner = unique("zoe");
    String[] members = users(unique("m"), MAX - 1);
    String t = f.createThread(owner, "Paged", members).getString("id");
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject req = new JsonObject().put("userId", members[5]).put("threadId", t).put("limit", 7);
      if (cursor != null) {
        req.put("cursor", cursor);
      }
      JsonObject page = f.call(Addresses.MEMBER_LIST, req);
      page.getJsonArray("members").forEach(m -> seen.add(((JsonObject) m).getString("userId")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertEquals(4, pages);
    List<String> expected = new ArrayList<>(List.of(owner));
    expected.addAll(List.of(members));
    assertEquals(expected, seen);
    JsonObject first = f.call(Addresses.MEMBER_LIST, new JsonObject().put("userId", owner).put("threadId", t));
    assertEquals(MAX, first.getJsonArray("members").size());
    assertNull(first.getString("nextCursor"));
    assertEquals(ErrorCode.NOT_MEMBER, f.failure(Addresses.MEMBER_LIST, new JsonObject().put("userId", "stranger")
        .put("threadId", t)));
    assertEquals(ErrorCode.THREAD_NOT_FOUND, f.failure(Addresses.MEMBER_LIST, new JsonObject().put("userId", owner)
        .put("threadId", UUID.randomUUID().toString())));
    for (String bad : List.of("x", "YWRtaW46", "bm9wZTphbGljZQ", "%%%", "")) {
      assertEquals(ErrorCode.INVALID_REQUEST, f.failure(Addresses.MEMBER_LIST, new JsonObject().put("userId", owner)
          .put("threadId", t).put("cursor", bad)), bad);
    }
  }
}
