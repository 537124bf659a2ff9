package chat.presence;

import java.util.List;

/** The lists of one thread: users online (any connection joined) and users typing, each sorted. */
public record Snapshot(List<String> onlineUserIds, List<String> typingUserIds) {
  public Snapshot {
    onlineUserIds = List.copyOf(onlineUserIds);
    typingUserIds = List.copyOf(typingUserIds);
  }
}
