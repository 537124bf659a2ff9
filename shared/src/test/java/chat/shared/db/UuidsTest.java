package chat.shared.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class UuidsTest {
  @Test
  @DisplayName("Ids are version-7 UUIDs carrying their millisecond, in the canonical lower-case form")
  void versionAndTime() {
    long now = 1_795_000_000_123L;
    UUID id = Uuids.v7(now);
    assertEquals(7, id.version());
    assertEquals(2, id.variant());
    assertEquals(now, id.getMostSignificantBits() >>> 16);
    assertTrue(id.toString().matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id.toString());
    assertEquals(id, UUID.fromString(id.toString()));
  }

  @Test
  @DisplayName("Ids of a later millisecond sort after earlier ones, as text and as Postgres compares uuids; none repeats")
  void orderedAndUnique() {
    Set<UUID> seen = new HashSet<>();
    UUID latestOfPreviousMs = null;
    for (long ms = 1_700_000_000_000L; ms < 1_700_000_000_000L + 2_000; ms++) {
      UUID latest = null;
      for (int i = 0; i < 50; i++) {
        UUID id = Uuids.v7(ms);
        assertTrue(seen.add(id));
        if (latestOfPreviousMs != null) {
          assertTrue(id.toString().compareTo(latestOfPreviousMs.toString()) > 0, id + " after " + latestOfPreviousMs);
        }
        if (latest == null || id.toString().compareTo(latest.toString()) > 0) {
          latest = id;
        }
      }
      latestOfPreviousMs = latest;
    }
    assertTrue(Uuids.v7().toString().compareTo(Uuids.v7(1_700_000_000_000L).toString()) > 0);
  }
}
