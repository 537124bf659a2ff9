package chat.loadgen;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss accounting for fan-out: which messages the server acknowledged (HTTP 201) and which each
 * connection received, keyed by (threadId, seq).
 *
 * <p>Expected deliveries = for every thread, its acknowledged messages x the connections registered to
 * it. A delivery of an acknowledged message counts once per connection; a repeat is a duplicate; a
 * delivery of a message never acknowledged to the sender (timed out, or outside the window) is counted
 * as unacknowledged and neither as lost nor as expected. Thread-safe.
 */
public final class DeliveryLedger {
  private final Map<String, BitSet> acked = new HashMap<>();
  private final List<Receiver> receivers = new ArrayList<>();

  /** A connection registered to {@code threadId}; call {@link Receiver#received} for each delivery. */
  public synchronized Receiver receiver(String threadId) {
    Receiver r = new Receiver(threadId);
    receivers.add(r);
    return r;
  }

  public void acked(String threadId, long seq) {
    BitSet set;
    synchronized (this) {
      set = acked.computeIfAbsent(threadId, t -> new BitSet());
    }
    synchronized (set) {
      set.set(toIndex(seq));
    }
  }

  public Tally tally() {
    long expected = 0;
    long delivered = 0;
    long duplicates = 0;
    long unacked = 0;
    long foreign = 0;
    List<Receiver> rs;
    synchronized (this) {
      rs = List.copyOf(receivers);
    }
    for (Receiver r : rs) {
      BitSet ack = ackedCopy(r.threadId);
      BitSet got;
      synchronized (r) {
        got = (BitSet) r.seen.clone();
        duplicates += r.duplicates;
        foreign += r.foreign;
      }
      expected += ack.cardinality();
      BitSet both = (BitSet) got.clone();
      both.and(ack);
      delivered += both.cardinality();
      got.andNot(ack);
      unacked += got.cardinality();
    }
    return new Tally(expected, delivered, expected - delivered, duplicates, unacked, foreign);
  }

  private BitSet ackedCopy(String threadId) {
    BitSet set;
    synchronized (this) {
      set = acked.get(threadId);
    }
    if (set == null) {
      return new BitSet();
    }
    synchronized (set) {
      return (BitSet) set.clone();
    }
  }

  private static int toIndex(long seq) {
    if (seq < 1 || seq > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("seq out of range: " + seq);
    }
    return (int) seq;
  }

  /** One connection's view. */
  public static final class Receiver {
    private final String threadId;
    private final BitSet seen = new BitSet();
    private long duplicates;
    private long foreign;

    private Receiver(String threadId) {
      this.threadId = threadId;
    }

    public String threadId() {
      return threadId;
    }

    /** Records a delivery; returns false when it is a duplicate or belongs to another thread. */
    public synchronized boolean received(String threadId, long seq) {
      if (!this.threadId.equals(threadId)) {
        foreign++;
        return false;
      }
      int i = toIndex(seq);
      if (seen.get(i)) {
        duplicates++;
        return false;
      }
      seen.set(i);
      return true;
    }

    public synchronized boolean hasSeen(long seq) {
      return seen.get(toIndex(seq));
    }
  }

  /** The outcome; {@code lost} must be 0. */
  public record Tally(long expected, long delivered, long lost, long duplicates, long unacked, long foreign) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("expected", expected)
          .put("delivered", delivered)
          .put("lost", lost)
          .put("duplicates", duplicates)
          .put("unackedDelivered", unacked)
          .put("foreign", foreign);
    }
  }
}
