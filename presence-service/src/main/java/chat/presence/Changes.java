package chat.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The threads whose lists one store operation changed, with their new full (sorted) lists, and the
 * store-wide {@code version} of that operation (higher = applied later; 0 when nothing changed).
 */
public record Changes(long version, Map<String, List<String>> presence, Map<String, List<String>> typing) {
  public static final Changes NONE = new Changes(0, Map.of(), Map.of());

  public Changes {
    presence = sortedCopy(presence);
    typing = sortedCopy(typing);
  }

  public boolean isEmpty() {
    return presence.isEmpty() && typing.isEmpty();
  }

  private static Map<String, List<String>> sortedCopy(Map<String, ? extends Collection<String>> lists) {
    Map<String, List<String>> copy = new HashMap<>();
    lists.forEach((thread, users) -> {
      List<String> sorted = new ArrayList<>(users);
      sorted.sort(null);
      copy.put(thread, List.copyOf(sorted));
    });
    return Map.copyOf(copy);
  }
}
