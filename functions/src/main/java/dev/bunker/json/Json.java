package dev.bunker.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one JSON dialect of Bunker, for HTTP bodies, queue messages and JSON columns: strict on the
 * way in (unknown fields, wrong types, trailing data and duplicate keys are errors that name the
 * field), without nulls on the way out, times as ISO-8601, enums in camelCase
 * ({@code PARTIALLY_SUCCEEDED} is {@code "partiallySucceeded"}).
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .addModule(enumsInCamelCase())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      // Jackson turns numbers and booleans into strings unless told otherwise
      .withCoercionConfig(LogicalType.Textual, config -> config
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();
  /**
   * Queue messages: as strict, but fields this version does not know are skipped. A later version
   * may add a field to a message (one an older worker can do without) while older workers still
   * take messages from the same queues, during a deployment.
   */
  private static final ObjectMapper MESSAGES =
      MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Json() {}

  /**
   * Reads {@code text}, a request body someone sent, as a {@code type}; an {@link
   * InvalidJsonException} naming the offending field (or {@code body} when the text is not JSON at
   * all) otherwise. What Bunker stored itself is read with {@link #readStored}, queue messages with
   * {@link #readMessage}.
   */
  public static <T> T read(String text, Class<T> type) {
    return read(MAPPER, text, type);
  }

  /**
   * Reads {@code text}, a queue message, as a {@code type}: as {@link #read}, except that fields
   * this version does not know are skipped (a later version's, during a deployment).
   */
  public static <T> T readMessage(String text, Class<T> type) {
    return read(MESSAGES, text, type);
  }

  private static <T> T read(ObjectMapper mapper, String text, Class<T> type) {
    if (text == null || text.isBlank()) {
      throw new InvalidJsonException("body", "is required (a JSON object)");
    }
    try {
      return mapper.readValue(text, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidJsonException(path(e), "is not a known field");
    } catch (InvalidFormatException e) {
      throw new InvalidJsonException(path(e), "must be " + describe(e.getTargetType()));
    } catch (ValueInstantiationException e) {
      throw new InvalidJsonException(path(e), "is not valid here");
    } catch (MismatchedInputException e) {
      throw new InvalidJsonException(path(e), "must be " + describe(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw new InvalidJsonException(path(e), "is not valid here");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new InvalidJsonException("body", "is not valid JSON" + where);
    }
  }

  /**
   * Reads {@code text}, which Bunker stored at {@code where} (a blob name, a table row and column),
   * as a {@code type}; text that is not what Bunker writes is damage to the store: a {@link
   * DamagedJsonException} naming {@code where} and what is wrong.
   */
  public static <T> T readStored(String text, Class<T> type, String where) {
    if (text == null || text.isBlank()) {
      throw new DamagedJsonException(where + " is empty where a stored JSON document was expected", null);
    }
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonMappingException e) {
      String field = path(e);
      throw new DamagedJsonException(where + " does not hold a stored " + type.getSimpleName()
          + (field.equals("body") ? "" : " (at " + field + ")"), e);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new DamagedJsonException(where + " is not valid JSON" + at, e);
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** {@code schedule.hours[1]} from Jackson's reference chain; {@code body} for the top level. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "body" : path.toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(constant -> '"' + camelCase(((Enum<?>) constant).name()) + '"')
          .collect(Collectors.joining(", "));
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 time";
    }
    return "an object";
  }

  public static String camelCase(String constant) {
    StringBuilder name = new StringBuilder();
    boolean upper = false;
    for (char c : constant.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        name.append(upper ? c : Character.toLowerCase(c));
        upper = false;
      }
    }
    return name.toString();
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static SimpleModule enumsInCamelCase() {
    SimpleModule module = new SimpleModule("bunker-enums");
    module.addSerializer(Enum.class, new JsonSerializer<Enum>() {
      @Override
      public void serialize(Enum value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeString(camelCase(value.name()));
      }
    });
    module.setDeserializers(new SimpleDeserializers() {
      @Override
      public JsonDeserializer<?> findEnumDeserializer(Class<?> type, DeserializationConfig config,
          BeanDescription description) {
        return new JsonDeserializer<Enum<?>>() {
          @Override
          public Enum<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
              return (Enum<?>) context.handleUnexpectedToken(type, parser);
            }
            String text = parser.getText();
            for (Object constant : type.getEnumConstants()) {
              if (camelCase(((Enum<?>) constant).name()).equals(text)) {
                return (Enum<?>) constant;
              }
            }
            throw InvalidFormatException.from(parser, "unknown value", text, type);
          }
        };
      }
    });
    return module;
  }
}
