package chat.shared.runtime;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * This process's identity in the cluster and the cluster's membership. The node id is the Vert.x
 * cluster node id when clustered ("member left" events name the same id), else a random id fixed per
 * Vert.x.
 */
public final class ClusterNode {
  private static final ConcurrentHashMap<Vertx, String> LOCAL_IDS = new ConcurrentHashMap<>();
  /** Where vertx-hazelcast keeps a member's Vert.x node id (it is not the Hazelcast member UUID). */
  private static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private ClusterNode() {}

  public static boolean isClustered(Vertx vertx) {
    return vertx.isClustered();
  }

  /** The id of this node: stable for the life of the Vert.x instance, unique in the cluster. */
  public static String nodeId(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    if (cm != null) {
      return cm.getNodeId();
    }
    return LOCAL_IDS.computeIfAbsent(vertx, v -> "local-" + UUID.randomUUID());
  }

  /** The ids of all current cluster members (only this node when not clustered). */
  public static List<String> members(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null ? List.of(nodeId(vertx)) : cm.getNodes();
  }

  /** Whether this node is still an active cluster member (always true when not clustered). */
  public static boolean isActive(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null || cm.isActive();
  }

  /**
   * Calls {@code onLeft} with the node id of every member that leaves or is dropped from the cluster
   * (Hazelcast membership events, delivered on a Hazelcast thread: hop to a context before doing I/O).
   * Does nothing when not clustered.
   */
  public static void onMemberLeft(Vertx vertx, Consumer<String> onLeft) {
    if (clusterManager(vertx) instanceof HazelcastClusterManager hz) {
      hz.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {}

        @Override
        public void memberRemoved(MembershipEvent event) {
          String vertxNodeId = event.getMember().getAttribute(VERTX_NODE_ID_ATTRIBUTE);
          onLeft.accept(vertxNodeId != null ? vertxNodeId : event.getMember().getUuid().toString());
        }
      });
    }
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx instanceof VertxInternal vi ? vi.clusterManager() : null;
  }
}
