package chat.shared.protocol;

import chat.shared.Requests;
import chat.shared.bus.Addresses;
import chat.shared.bus.Endpoint;

/** What gateways serve on the bus for other services. */
public final class Gateway {
  private Gateway() {}

  /**
   * The revocation endpoint of the gateways in one Vert.x node: messaging asks every node after a member
   * removal committed, and answers the removal once each has confirmed (a node without a gateway has no
   * handler). The reply means that no socket of the user on that node receives the thread any more.
   */
  public static Endpoint<Revoke, Ok> revoke(String nodeId) {
    return Endpoint.of(Addresses.gatewayRevoke(nodeId), Revoke.class, Ok.class);
  }

  /**
   * {@code userId} is no longer a member of {@code threadId}. {@code deadlineMs} (epoch ms) is when the
   * remover stops waiting: a gateway that handles the request later closes the user's sockets instead,
   * since events of the thread may have reached them in between.
   */
  public record Revoke(String threadId, String userId, long deadlineMs) {
    public Revoke {
      threadId = Requests.threadId(threadId, "threadId");
      userId = Requests.userId(userId, "userId");
    }
  }
}
