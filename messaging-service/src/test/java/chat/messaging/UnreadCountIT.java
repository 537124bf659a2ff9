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

/** The one definition of unread, {@code unread_count} (migration V5), against a recount of the messages. */
class UnreadCountIT {
  private static final String RECOUNT = """
      SELECT m.thread_id, m.user_id,
             unread_count(t, m.last_read_seq) AS unread,
             unread_count(t.id, t.last_seq, m.last_read_seq) AS unread_v4_form,
             (SELECT count(*) FROM messages x
              WHERE x.thread_id = m.thread_id AND x.seq > m.last_read_seq AND x.author_id <> m.user_id
                AND NOT x.deleted) AS recount
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
  @DisplayName("unread_count equals the count of other members' undeleted messages after the marker, on random sends, reads, edits and deletes, and the thread listing reports it")
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
      // Edits (which change no count) and deletes, by the author or an admin, above and below markers.
      for (int d = 0, n = random.nextInt(6); d < n; d++) {
        String t = threads.get(random.nextInt(threads.size()));
        Row m = f.row("SELECT id, author_id, deleted FROM messages WHERE thread_id = $1 ORDER BY random() LIMIT 1",
            UUID.fromString(t));
        if (m == null) {
          continue;
        }
        JsonObject change = new JsonObject().put("userId", m.getString("author_id")).put("threadId", t)
            .put("messageId", m.getUUID("id").toString());
        if (m.getBoolean("deleted") || random.nextBoolean()) {
          f.call(Addresses.MESSAGE_DELETE, change);
        } else {
          f.call(Addresses.MESSAGE_EDIT, change.put("body", "edited " + round + "." + d));
        }
      }
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

    // At least one deleted message above someone's marker, whatever the random rounds did.
    String last = threads.stream().filter(id -> members.get(id).size() > 1).findFirst().orElseThrow();
    String sender = members.get(last).get(0);
    f.send(sender, last, "kept");
    String gone = f.send(sender, last, "gone").getString("id");
    f.call(Addresses.MESSAGE_DELETE, new JsonObject().put("userId", sender).put("threadId", last).put("messageId", gone));

    Map<String, Long> recounted = new HashMap<>();
    long someUnread = 0;
    for (Row row : f.db.query(RECOUNT).execute().await()) {
      String key = row.getString("user_id") + "/" + row.getUUID("thread_id");
      assertEquals(row.getLong("recount"), row.getLong("unread"), key + " (seed " + seed + ")");
      assertEquals(row.getLong("recount"), row.getLong("unread_v4_form"), key + " by V4's form (seed " + seed + ")");
      recounted.put(key, row.getLong("recount"));
      someUnread += row.getLong("recount");
    }
    assertTrue(someUnread > 0, "the data has unread messages (seed " + seed + ")");
    assertTrue(f.count("SELECT count(*) FROM messages x JOIN thread_members m ON m.thread_id = x.thread_id"
        + " WHERE x.deleted AND x.seq > m.last_read_seq") > 0, "some deleted message was unread for someone (seed " + seed + ")");
    for (String u : users) {
      for (Object o : f.call(Addresses.THREAD_LIST, new JsonObject().put("userId", u)).getJsonArray("threads")) {
        JsonObject t = (JsonObject) o;
        assertEquals(recounted.get(u + "/" + t.getString("id")), t.getLong("unread"), u + " in the listing");
      }
    }
  }
}
