package dev.bunker.azure.tables;

import dev.bunker.core.model.CorruptDataException;
import dev.bunker.json.DamagedJsonException;
import dev.bunker.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * One named column of a table's rows and how a value of type {@code T} is stored in it: strings as
 * strings, instants as Edm.DateTime, enums by constant name, counts as Edm.Int32 or Edm.Int64, and
 * documents as JSON strings. An absent value is an absent property, so a row written before a
 * column existed reads as {@code null} there (see {@link Row#get(Column, Object)}).
 */
public final class Column<T> {
  private final String name;
  private final Function<T, Object> store;
  private final Load<T> load;

  /** Turns a stored property back into the column's value; {@code row} names the row for errors. */
  private interface Load<T> {
    T from(Object stored, Row row);
  }

  private Column(String name, Function<T, Object> store, Load<T> load) {
    this.name = name;
    this.store = store;
    this.load = load;
  }

  public static Column<String> string(String name) {
    return new Column<>(name, value -> value, (stored, row) -> stored.toString());
  }

  public static Column<Instant> instant(String name) {
    return new Column<>(name, value -> OffsetDateTime.ofInstant(value, ZoneOffset.UTC),
        (stored, row) -> stored instanceof OffsetDateTime time ? time.toInstant()
            : OffsetDateTime.parse(stored.toString()).toInstant());
  }

  public static Column<Integer> integer(String name) {
    return new Column<>(name, value -> value, (stored, row) -> ((Number) stored).intValue());
  }

  public static Column<Long> number(String name) {
    return new Column<>(name, value -> value, (stored, row) -> ((Number) stored).longValue());
  }

  public static Column<Boolean> bool(String name) {
    return new Column<>(name, value -> value, (stored, row) -> (Boolean) stored);
  }

  public static <E extends Enum<E>> Column<E> enumOf(String name, Class<E> type) {
    return new Column<>(name, Enum::name, (stored, row) -> Enum.valueOf(type, stored.toString()));
  }

  /** A JSON document stored as {@code T} itself. */
  public static <T> Column<T> json(String name, Class<T> type) {
    return json(name, type, Function.identity(), Function.identity());
  }

  /**
   * A JSON document read as {@code S} and turned into {@code T} by {@code read}; {@code write} gives
   * what is written for a value. A document that does not read is a {@link CorruptDataException}
   * naming the row and the column.
   */
  public static <S, T> Column<T> json(String name, Class<S> type, Function<S, T> read, Function<T, ?> write) {
    return new Column<>(name, value -> Json.write(write.apply(value)), (stored, row) -> {
      try {
        return read.apply(Json.readStored(stored.toString(), type, "column " + name + " of table row "
            + row.partitionKey() + "/" + row.rowKey()));
      } catch (DamagedJsonException e) {
        throw new CorruptDataException(e.getMessage(), e);
      }
    });
  }

  public String name() {
    return name;
  }

  /** An OData filter: the rows whose value here is less than {@code value}. */
  public String lessThan(T value) {
    return name + " lt " + literal(store.apply(value));
  }

  /** An OData filter: the rows whose value here equals {@code value}. */
  public String is(T value) {
    return name + " eq " + literal(store.apply(value));
  }

  /** An OData filter: the rows whose value here is at least {@code value} (never a row without one). */
  public String atLeast(T value) {
    return name + " ge " + literal(store.apply(value));
  }

  /** An OData filter: the rows whose value here is greater than {@code value} (never a row without one). */
  public String greaterThan(T value) {
    return name + " gt " + literal(store.apply(value));
  }

  Object store(T value) {
    return store.apply(value);
  }

  T load(Object stored, Row row) {
    return load.from(stored, row);
  }

  private static String literal(Object stored) {
    if (stored instanceof OffsetDateTime time) {
      return "datetime'" + DateTimeFormatter.ISO_INSTANT.format(time) + "'";
    }
    if (stored instanceof Long number) {
      return number + "L";
    }
    if (stored instanceof Number || stored instanceof Boolean) {
      return stored.toString();
    }
    return "'" + stored.toString().replace("'", "''") + "'";
  }
}
