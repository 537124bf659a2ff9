package chat.scale;

import chat.shared.bus.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The addresses a simulated socket registers, shaped like the real ones (a {@code chat.user.<id>} and
 * {@code chat.thread.<uuid>} per open thread) so that each registration costs what a real one costs:
 * the address string is part of every Hazelcast entry. Socket {@code j} of home node {@code h} keeps its
 * addresses when it reconnects to another node, as a real client does.
 */
final class SimAddresses {
  private SimAddresses() {}

  /** The user address of socket {@code socket} whose first gateway was node {@code home}. */
  static String user(int home, int socket) {
    return Addresses.USER_PREFIX + String.format("u%03d-%08d@example.org", home, socket);
  }

  /** Open thread {@code k} of that socket: its own thread, so every one is a distinct registration. */
  static String thread(int home, int socket, int k) {
    return Addresses.THREAD_PREFIX + new UUID(0x5ca1e00000000000L | ((long) home << 32) | socket, k);
  }

  /** A thread with sockets on every node and instance: a publish to it crosses to every node. */
  static String hot(int index) {
    return Addresses.THREAD_PREFIX + new UUID(0x40700000000000L, index);
  }

  /** Everything socket {@code socket} registers: its user address, then {@code threads} thread addresses. */
  static List<String> ofSocket(int home, int socket, int threads) {
    List<String> all = new ArrayList<>(1 + threads);
    all.add(user(home, socket));
    for (int k = 0; k < threads; k++) {
      all.add(thread(home, socket, k));
    }
    return all;
  }
}
