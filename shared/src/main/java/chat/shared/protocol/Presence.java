package chat.shared.protocol;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;
import java.util.List;

/**
 * presence-service's requests and replies. Gateways call them after authenticating the user, checking
 * membership and throttling typing; {@code connectionId} is the bridge socket, {@code gatewayId} the
 * cluster node holding it.
 */
public final class Presence {
  static final int MAX_ID_CHARS = 128;

  private Presence() {}

  public static final Endpoint<Join, Snapshot> JOIN = Endpoint.of(Addresses.PRESENCE_JOIN, Join.class, Snapshot.class);
  public static final Endpoint<Leave, Ok> LEAVE = Endpoint.of(Addresses.PRESENCE_LEAVE, Leave.class, Ok.class);
  public static final Endpoint<Disconnect, Ok> DISCONNECT =
      Endpoint.of(Addresses.PRESENCE_DISCONNECT, Disconnect.class, Ok.class);
  public static final Endpoint<Typing, Ok> TYPING_START =
      Endpoint.of(Addresses.PRESENCE_TYPING_START, Typing.class, Ok.class);
  public static final Endpoint<Typing, Ok> TYPING_STOP =
      Endpoint.of(Addresses.PRESENCE_TYPING_STOP, Typing.class, Ok.class);
  public static final Endpoint<Heartbeat, HeartbeatReply> HEARTBEAT =
      Endpoint.of(Addresses.PRESENCE_HEARTBEAT, Heartbeat.class, HeartbeatReply.class);

  public record Join(String userId, String threadId, String connectionId, String gatewayId) {
    public Join {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      connectionId = Requests.opaqueId(connectionId, "connectionId", MAX_ID_CHARS);
      gatewayId = Requests.opaqueId(gatewayId, "gatewayId", MAX_ID_CHARS);
    }
  }

  /** The thread's lists after a join: who is online and who is typing, each sorted. */
  public record Snapshot(List<String> onlineUserIds, List<String> typingUserIds) {
    public Snapshot {
      onlineUserIds = List.copyOf(onlineUserIds);
      typingUserIds = List.copyOf(typingUserIds);
    }
  }

  public record Leave(String userId, String threadId, String connectionId) {
    public Leave {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
      connectionId = Requests.opaqueId(connectionId, "connectionId", MAX_ID_CHARS);
    }
  }

  /** A connection closed: it leaves every thread and stops typing. */
  public record Disconnect(String userId, String connectionId, String gatewayId) {
    public Disconnect {
      connectionId = Requests.opaqueId(connectionId, "connectionId", MAX_ID_CHARS);
    }
  }

  public record Typing(String userId, String threadId) {
    public Typing {
      userId = Requests.userId(userId, "userId");
      threadId = Requests.threadId(threadId, "threadId");
    }
  }

  /** A gateway is alive. */
  public record Heartbeat(String gatewayId) {
    public Heartbeat {
      gatewayId = Requests.opaqueId(gatewayId, "gatewayId", MAX_ID_CHARS);
    }
  }

  /** {@code known:false}: presence had no entries for the gateway (first beat, expired, or lost); it re-joins. */
  public record HeartbeatReply(boolean ok, boolean known) {}
}
