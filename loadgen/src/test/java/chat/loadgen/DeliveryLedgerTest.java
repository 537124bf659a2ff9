package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
  @Test
  @DisplayName("Every acknowledged message is expected once per member connection of its thread, and a missing one is lost")
  void countsLoss() {
    DeliveryLedger ledger = new DeliveryLedger();
    DeliveryLedger.Receiver a1 = ledger.receiver("A");
    DeliveryLedger.Receiver a2 = ledger.receiver("A");
    DeliveryLedger.Receiver b1 = ledger.receiver("B");
    for (long seq = 1; seq <= 3; seq++) {
      ledger.acked("A", seq);
      a1.received("A", seq);
    }
    a2.received("A", 1);
    a2.received("A", 3);
    ledger.acked("B", 1);
    b1.received("B", 1);
    DeliveryLedger.Tally t = ledger.tally();
    assertEquals(7, t.expected());
    assertEquals(6, t.delivered());
    assertEquals(1, t.lost());
    assertEquals(0, t.duplicates());
  }

  @Test
  @DisplayName("A message delivered twice to one connection is a duplicate, not an extra delivery")
  void countsDuplicates() {
    DeliveryLedger ledger = new DeliveryLedger();
    DeliveryLedger.Receiver r = ledger.receiver("A");
    ledger.acked("A", 1);
    assertTrue(r.received("A", 1));
    assertFalse(r.received("A", 1));
    DeliveryLedger.Tally t = ledger.tally();
    assertEquals(1, t.delivered());
    assertEquals(1, t.duplicates());
    assertEquals(0, t.lost());
  }

  @Test
  @DisplayName("A delivery whose send was never acknowledged is reported apart and is neither expected nor lost")
  void unackedDeliveries() {
    DeliveryLedger ledger = new DeliveryLedger();
    DeliveryLedger.Receiver r = ledger.receiver("A");
    r.received("A", 5);
    r.received("B", 1);
    DeliveryLedger.Tally t = ledger.tally();
    assertEquals(0, t.expected());
    assertEquals(0, t.lost());
    assertEquals(1, t.unacked());
    assertEquals(1, t.foreign());
  }

  @Test
  @DisplayName("An acknowledgement arriving after the delivery (the usual race) still counts as delivered")
  void ackAfterDelivery() {
    DeliveryLedger ledger = new DeliveryLedger();
    DeliveryLedger.Receiver r = ledger.receiver("A");
    r.received("A", 1);
    ledger.acked("A", 1);
    assertEquals(0, ledger.tally().lost());
    assertEquals(1, ledger.tally().delivered());
  }
}
