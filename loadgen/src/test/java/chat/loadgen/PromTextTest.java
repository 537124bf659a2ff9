package chat.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PromTextTest {
  @Test
  @DisplayName("Heap in use is the sum of every heap pool of jvm_memory_used_bytes, non-heap excluded")
  void sumsHeap() {
    String text = """
        # HELP jvm_memory_used_bytes The amount of used memory
        # TYPE jvm_memory_used_bytes gauge
        jvm_memory_used_bytes{area="heap",id="PS Eden Space"} 1.0E7
        jvm_memory_used_bytes{area="heap",id="PS Old Gen"} 2.5E7
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
        jvm_memory_used_bytes_total 5
        """;
    assertEquals(3.5e7, PromText.sum(text, "jvm_memory_used_bytes", "area=\"heap\""), 1);
    assertEquals(-1, PromText.sum(text, "jvm_gc_pause_seconds", null));
  }
}
