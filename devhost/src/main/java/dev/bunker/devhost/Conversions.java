package dev.bunker.devhost;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.temporal.Temporal;
import java.util.Optional;

/** Converts trigger payloads and metadata to the Java types function parameters declare. */
final class Conversions {
  private Conversions() {
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  static Type typeArgument(Type type) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
  }

  /** {@code raw} is a body or message (byte[]), a JSON text or metadata value (String), or a number. */
  static Object convert(Object raw, Type target, String what) throws BindingException {
    Class<?> rawClass = rawClass(target);
    if (rawClass == Optional.class) {
      boolean empty = raw == null || (raw instanceof byte[] bytes && bytes.length == 0);
      return empty ? Optional.empty() : Optional.ofNullable(convert(raw, typeArgument(target), what));
    }
    if (raw == null) {
      if (rawClass.isPrimitive()) {
        throw new BindingException(what + " is missing");
      }
      return null;
    }
    if (raw instanceof byte[] bytes) {
      if (rawClass == byte[].class) {
        return bytes;
      }
      if (rawClass == InputStream.class) {
        return new ByteArrayInputStream(bytes);
      }
      if (rawClass == String.class || rawClass == Object.class) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
      if (bytes.length == 0) {
        return null;
      }
      return readJson(new String(bytes, StandardCharsets.UTF_8), target, what);
    }
    if (raw instanceof String text) {
      if (rawClass == String.class || rawClass == Object.class) {
        return text;
      }
      if (rawClass == byte[].class) {
        return text.getBytes(StandardCharsets.UTF_8);
      }
      if (!isScalar(rawClass)) {
        return readJson(text, target, what);
      }
    }
    try {
      return Json.MAPPER.convertValue(raw, Json.MAPPER.constructType(target));
    } catch (IllegalArgumentException e) {
      throw new BindingException(what + " ('" + raw + "') cannot be converted to " + target.getTypeName());
    }
  }

  private static Object readJson(String text, Type target, String what) throws BindingException {
    JavaType type = Json.MAPPER.constructType(target);
    try {
      return Json.MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new BindingException(what + " is not valid JSON for " + rawClass(target).getSimpleName() + ": "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BindingException(what + " cannot be read: " + e.getMessage());
    }
  }

  private static boolean isScalar(Class<?> type) {
    return type.isPrimitive() || Number.class.isAssignableFrom(type) || type == Boolean.class
        || type == Character.class || type.isEnum() || Temporal.class.isAssignableFrom(type);
  }
}
