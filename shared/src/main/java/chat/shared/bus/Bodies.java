package chat.shared.bus;

import chat.shared.ChatException;
import chat.shared.Requests;
import chat.shared.model.Timestamps;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps the records of the bus protocol to and from the plain {@link JsonObject} bodies that travel on
 * every address (no custom codec anywhere, so any node can read them). Decoding is where a body is
 * validated: the records' constructors check their fields, and every type mismatch, missing or
 * malformed field becomes {@code invalid_request} naming the field, so a handler only ever sees a
 * valid record. Nothing is coerced (a number is not a string, a string is not a number), unknown
 * fields are ignored (a newer sender may add some), and instants are ISO-8601 UTC with exactly three
 * fractional digits.
 */
public final class Bodies {
  private static final ObjectMapper MAPPER = mapper();

  private Bodies() {}

  /** The body as a record of {@code type}; any defect is a {@link ChatException} from the catalogue. */
  public static <T> T decode(Object body, Class<T> type) {
    if (!(body instanceof JsonObject json)) {
      throw Requests.invalid("The body must be a JSON object");
    }
    try {
      return MAPPER.convertValue(json.getMap(), type);
    } catch (IllegalArgumentException e) {
      throw toChatException(e);
    }
  }

  /** The record as the JSON object that goes on the wire. */
  public static JsonObject encode(Object record) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(record, Map.class);
    return new JsonObject(map);
  }

  private static ChatException toChatException(IllegalArgumentException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ChatException ce) {
        return ce;
      }
    }
    if (e.getCause() instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
      String field = jme.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      return Requests.invalid("'" + field + "' has the wrong type or format");
    }
    return Requests.invalid("The body is malformed");
  }

  private static ObjectMapper mapper() {
    SimpleModule instants = new SimpleModule("chat-instants");
    instants.addSerializer(Instant.class, new JsonSerializer<>() {
      @Override
      public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeString(Timestamps.format(value));
      }
    });
    instants.addDeserializer(Instant.class, new JsonDeserializer<>() {
      @Override
      public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
          return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
        }
        try {
          return Timestamps.parse(p.getText());
        } catch (DateTimeParseException e) {
          throw InvalidFormatException.from(p, "Not an ISO-8601 instant", p.getText(), Instant.class);
        }
      }
    });
    JsonMapper mapper = JsonMapper.builder()
        .addModule(new VertxModule())
        .addModule(instants)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // a field a sender of an older release does not write reads as its default (0, false)
        .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
    refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.EmptyString,
        CoercionInputShape.Float, CoercionInputShape.Boolean);
    refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString,
        CoercionInputShape.Integer, CoercionInputShape.Float);
    refuse(mapper, LogicalType.Collection, CoercionInputShape.String, CoercionInputShape.EmptyString);
    return mapper;
  }

  private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
    for (CoercionInputShape shape : shapes) {
      mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
    }
  }
}
