package chat.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.shared.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one definition of unread, {@code unread_count} (migration V4), against a recount of the messages. */
class UnreadCountIT {
  private static final String RECOUNT = """
      SELECT m.thread_id, m.user_id,
             unread_count(t.id, t.last_seq, m.last_read_seq) AS unread,
             (SELECT count(*) FROM messages x
              WHERE x.thread_id = m.thread_id AND x.seq > m.last_read_seq AND x.author_id <> m.user_id) AS recount
      FROM thread_members m JOIN threads t ON t.id = m.thread_id
      """;
  private static MessagingFixture f;

  @BeforeAll
  static void start() {
    f = MessagingFixture.start(UnreadCountIT.class);
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  @Test
  @DisplayName("unread_count equals the count of other members' messages after the marker, on random sends and reads, and the thread listing reports it")
  void matchesRecount() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    String[] users = {"ava", "ben", "cal", "dee", "eli", "fay"};
    List<String> threads = new ArrayList<>();
    Map<String, List<String>> members = new HashMap<>();
    for (int i = 0; i < 8; i++) {
      List<String> in = new ArrayList<>();
      for (String u : users) {
        if (random.nextInt(3) > 0) {
          in.add(u);
        }
      }
      String creator = users[random.nextInt(users.length)];
      in.remove(creator);
      String id = f.createThread(creator, "t" + i, in.toArray(String[]::new)).getString("id");
      in.add(creator);
      threads.add(id);
      members.put(id, in);
    }
    for (int round = 0; round < 10; round++) {
      // Concurrent sends leave in batches (send_batch) as well as alone (send).
      List<Future<JsonObject>> sends = new ArrayList<>();
      for (int s = 0, n = 1 + random.nextInt(30); s < n; s++) {
        String t = threads.get(random.nextInt(threads.size()));
        List<String> in = members.get(t);
        sends.add(f.request(Addresses.MESSAGE_SEND,
            MessagingFixture.sendRequest(in.get(random.nextInt(in.size())), t, "m" + round + "." + s)));
      }
      Future.all(sends).await();
      // Reads as unread-service does them: the marker moves forward only, to a message of the thread.
      for (int r = 0, n = random.nextInt(8); r < n; r++) {
        String t = threads.get(random.nextInt(threads.size()));
        List<String> in = members.get(t);
        f.db.preparedQuery("""
            UPDATE thread_members tm SET last_read_seq = GREATEST(tm.last_read_seq, floor(random() * (th.last_seq + 1))::bigint)
            FROM threads th WHERE th.id = tm.thread_id AND tm.thread_id = $1 AND tm.user_id = $2
            """).execute(Tuple.of(UUID.fromString(t), in.get(random.nextInt(in.size())))).await();
      }
    }

    Map<String, Long> recounted = new HashMap<>();
    long someUnread = 0;
    for (Row row : f.db.query(RECOUNT).execute().await()) {
      String key = row.getString("user_id") + "/" + row.getUUID("thread_id");
      assertEquals(row.getLong("recount"), row.getLong("unread"), key + " (seed " + seed + ")");
      recounted.put(key, row.getLong("recount"));
      someUnread += row.getLong("recount");
    }
    assertTrue(someUnread > 0, "the data has unread messages (seed " + seed + ")");
    for (String u : users) {
      for (Object o : f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", u)).getJsonArray("threads")) {
        JsonObject t = (JsonObject) o;
        assertEquals(recounted.get(u + "/" + t.getString("id")), t.getLong("unread"), u + " in the listing");
      }
    }
  }
}
