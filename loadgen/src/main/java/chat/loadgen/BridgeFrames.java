package chat.loadgen;

import io.vertx.core.json.JsonObject;

/**
 * The Vert.x bridge frames the load generator writes, and a cheap reader for the frames it receives.
 *
 * <p>The reader does not build a JSON tree per delivery (the load generator shares two cores with the
 * server): it finds the frame type, the address, the event type and the message's {@code seq} and
 * send stamp by scanning. Keys are matched with their quotes, so {@code "lastReadSeq"} is never taken
 * for {@code "seq"}.
 */
public final class BridgeFrames {
  /** Prefix of the message bodies the load generator sends: {@code lg:<sendNanos>:<padding>}. */
  public static final String STAMP = "lg:";

  private BridgeFrames() {}

  public static String register(String address) {
    return new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject()).encode();
  }

  public static String ping() {
    return "{\"type\":\"ping\"}";
  }

  /** A message body carrying the send time (System.nanoTime of this process), padded to {@code size} chars. */
  public static String stampedBody(long sendNanos, int size) {
    StringBuilder sb = new StringBuilder(Math.max(size, 24)).append(STAMP).append(sendNanos).append(':');
    while (sb.length() < size) {
      sb.append('x');
    }
    return sb.toString();
  }

  /** The send time carried by a body made by {@link #stampedBody}, or -1. */
  public static long stampOf(String body) {
    if (body == null || !body.startsWith(STAMP)) {
      return -1;
    }
    int end = body.indexOf(':', STAMP.length());
    try {
      return Long.parseLong(end < 0 ? body.substring(STAMP.length()) : body.substring(STAMP.length(), end));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** What the reader found in one incoming text frame. */
  public record Incoming(String frameType, String address, String eventType, long seq, long stamp) {
    public boolean isMessageNew() {
      return "rec".equals(frameType) && "message:new".equals(eventType) && seq > 0;
    }
  }

  public static Incoming read(String frame) {
    int bodyKey = frame.indexOf("\"body\"");
    int typeKey = frame.indexOf("\"type\"");
    if (bodyKey >= 0 && typeKey > bodyKey) {
      return readTree(frame);
    }
    String frameType = stringValue(frame, "type", 0);
    String address = stringValue(frame, "address", 0);
    int bodyAt = frame.indexOf("\"body\"");
    String eventType = bodyAt < 0 ? null : stringValue(frame, "type", bodyAt);
    long seq = bodyAt < 0 ? -1 : longValue(frame, "seq", bodyAt);
    long stamp = -1;
    int s = frame.indexOf("\"" + STAMP);
    if (s >= 0) {
      int start = s + 1 + STAMP.length();
      int end = start;
      while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
        end++;
      }
      if (end > start) {
        stamp = Long.parseLong(frame, start, end, 10);
      }
    }
    return new Incoming(frameType, address, eventType, seq, stamp);
  }

  private static Incoming readTree(String frame) {
    JsonObject json = new JsonObject(frame);
    Object body = json.getValue("body");
    String eventType = null;
    long seq = -1;
    long stamp = -1;
    if (body instanceof JsonObject b) {
      eventType = b.getString("type");
      JsonObject m = b.getJsonObject("message");
      if (m != null) {
        seq = m.getLong("seq", -1L);
        stamp = stampOf(m.getString("body"));
      }
    }
    return new Incoming(json.getString("type"), json.getString("address"), eventType, seq, stamp);
  }

  static String stringValue(String json, String key, int from) {
    int v = valueStart(json, key, from);
    if (v < 0 || v >= json.length() || json.charAt(v) != '"') {
      return null;
    }
    int end = json.indexOf('"', v + 1);
    return end < 0 ? null : json.substring(v + 1, end);
  }

  static long longValue(String json, String key, int from) {
    int v = valueStart(json, key, from);
    if (v < 0) {
      return -1;
    }
    int end = v;
    while (end < json.length() && Character.isDigit(json.charAt(end))) {
      end++;
    }
    return end == v ? -1 : Long.parseLong(json, v, end, 10);
  }

  private static int valueStart(String json, String key, int from) {
    String quoted = "\"" + key + "\"";
    int k = json.indexOf(quoted, from);
    if (k < 0) {
      return -1;
    }
    int i = k + quoted.length();
    while (i < json.length() && (json.charAt(i) == ' ' || json.charAt(i) == ':')) {
      i++;
    }
    return i;
  }
}
