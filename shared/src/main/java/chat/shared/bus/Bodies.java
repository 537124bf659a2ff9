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
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  static final ObjectMapper MAPPER = mapper(); // package-private for BodiesTest's comparison with convertValue

  private Bodies() {}

  /** The body as a record of {@code type}; any defect is a {@link ChatException} from the catalogue. */
  public static <T> T decode(Object body, Class<T> type) {
    if (!(body instanceof JsonObject json)) {
      throw Requests.invalid("The body must be a JSON object");
    }
    try {
      TokenBuffer tokens = new TokenBuffer(MAPPER, false);
      writeValue(tokens, json.getMap());
      return readers.get(type).readValue(tokens.asParser());
    } catch (IOException | IllegalArgumentException e) {
      throw toChatException(e);
    }
  }

  /** The record as the JSON object that goes on the wire. */
  public static JsonObject encode(Object record) {
    try {
      TokenBuffer tokens = new TokenBuffer(MAPPER, false);
      writers.get(record.getClass()).writeValue(tokens, record);
      JsonParser p = tokens.asParser();
      p.nextToken();
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) readValue(p);
      return new JsonObject(map);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot encode " + record.getClass().getSimpleName(), e);
    }
  }

  /*
   * Why not ObjectMapper.convertValue: it looks up the root serializer and deserializer on every call and
   * maps the untyped side (the JSON object's map) through Jackson's generic Map serializer and deserializer.
   * The readers and writers below are resolved once per record type, and the untyped side is walked here
   * directly, token by token; the records' side stays Jackson's (and its coercion rules).
   */
  private static final ClassValue<ObjectReader> readers = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return MAPPER.readerFor(type);
    }
  };
  private static final ClassValue<ObjectWriter> writers = new ClassValue<>() {
    @Override
    protected ObjectWriter computeValue(Class<?> type) {
      return MAPPER.writerFor(type);
    }
  };

  /** Writes a JSON object's value (what a {@link JsonObject} may hold) as tokens. */
  private static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer i) {
      g.writeNumber(i);
    } else if (value instanceof Long l) {
      g.writeNumber(l);
    } else if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName((String) e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof JsonObject o) {
      writeValue(g, o.getMap());
    } else if (value instanceof List<?> list) {
      g.writeStartArray();
      for (Object item : list) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof JsonArray a) {
      writeValue(g, a.getList());
    } else {
      // numbers of other types, Instants, byte[]...: Jackson's own serializers, as convertValue would
      g.writeObject(value);
    }
  }

  /** Reads the value at the parser's current token as a JSON object's value (maps, lists, scalars). */
  private static Object readValue(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, readValue(p));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        return list;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      case VALUE_EMBEDDED_OBJECT:
        return p.getEmbeddedObject();
      default:
        throw new IOException("Unexpected token " + p.currentToken());
    }
  }

  private static ChatException toChatException(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ChatException ce) {
        return ce;
      }
    }
    JsonMappingException jme = e instanceof JsonMappingException m ? m
        : e.getCause() instanceof JsonMappingException m ? m : null;
    if (jme != null && !jme.getPath().isEmpty()) {
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
