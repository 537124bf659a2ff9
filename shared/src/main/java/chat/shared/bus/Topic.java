package chat.shared.bus;

/**
 * An internal event address with the record type of its events ({@link Bus#consume}); whether it is
 * sent (one consumer) or published (every consumer) is the producer's choice, stated where it is defined.
 */
public record Topic<E>(String address, Class<E> eventType) {
  public static <E> Topic<E> of(String address, Class<E> eventType) {
    return new Topic<>(address, eventType);
  }
}
