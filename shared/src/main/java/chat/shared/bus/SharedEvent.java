package chat.shared.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event body published to many consumers (a thread's or a user's bridge sockets) that no consumer
 * changes: the local event bus hands the same instance to every consumer instead of a copy each, and
 * the bridge frame for an address is encoded once ({@link #bridgeFrame}) and reused for every socket.
 * Across the cluster it travels as JSON and is decoded once per node. Do not modify it once published.
 */
public final class SharedEvent extends JsonObject {
  public static final String CODEC = "chat-shared-event";

  private final Map<String, Buffer> frames = new ConcurrentHashMap<>(4);

  public SharedEvent(JsonObject event) {
    super(event.getMap());
  }

  /** The bridge's delivery frame {@code {"type":"rec","address":...,"body":...}} for {@code address}, encoded once. */
  public Buffer bridgeFrame(String address) {
    return frames.computeIfAbsent(address,
        a -> new JsonObject().put("type", "rec").put("address", a).put("body", this).toBuffer());
  }

  /** Makes {@link SharedEvent} the default codec of its class on this Vert.x (once; later calls do nothing). */
  public static void registerCodec(Vertx vertx) {
    synchronized (SharedEvent.class) {
      try {
        vertx.eventBus().registerDefaultCodec(SharedEvent.class, new Codec());
      } catch (IllegalStateException alreadyRegistered) {
        // registered by another verticle of this process
      }
    }
  }

  private static final class Codec implements MessageCodec<SharedEvent, SharedEvent> {
    @Override
    public void encodeToWire(Buffer buffer, SharedEvent event) {
      Buffer json = event.toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public SharedEvent decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new SharedEvent(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
    }

    @Override
    public SharedEvent transform(SharedEvent event) {
      return event;
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
