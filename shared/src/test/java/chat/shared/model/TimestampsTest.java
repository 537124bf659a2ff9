package chat.shared.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final DateTimeFormatter PATTERN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  @DisplayName("Formatting and parsing by hand give exactly what the JDK's formatter and Instant.parse give")
  void sameAsTheJdk() {
    Random random = new Random(11);
    long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 50_000; i++) {
      Instant at = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
      String text = Timestamps.format(at);
      assertEquals(PATTERN.format(at), text);
      assertEquals(Instant.parse(text), Timestamps.parse(text), text);
    }
    assertEquals("2026-11-25T21:53:17.042Z", Timestamps.format(Instant.parse("2026-11-25T21:53:17.042999Z")));
    assertEquals(Instant.parse("2026-11-25T21:53:17Z"), Timestamps.parse("2026-11-25T21:53:17Z"), "other ISO forms still parse");
    assertEquals(Instant.parse("2016-12-31T23:59:60.000Z"), Timestamps.parse("2016-12-31T23:59:60.000Z"), "a leap second");
    assertEquals(PATTERN.format(Instant.parse("+10000-01-01T00:00:00Z")), Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")));
    for (String bad : new String[] {"2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-01-01T25:00:00.000Z",
        "2026-01-0aT00:00:00.000Z", "2026-01-01T00:00:00.000+", "", "yesterday"}) {
      assertThrows(DateTimeParseException.class, () -> Timestamps.parse(bad), bad);
      assertThrows(DateTimeParseException.class, () -> Instant.parse(bad), bad);
    }
  }
}
