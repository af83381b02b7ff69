package dev.bunker.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.CorruptDataException;
import dev.bunker.json.DamagedJsonException;
import dev.bunker.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Small helpers over the Tables SDK shared by the catalog's tables. */
final class Tables {
  /** Characters Azure Tables forbids in keys, plus the quote that would end an OData literal. */
  private static final Pattern UNSAFE_KEY = Pattern.compile("[/\\\\#?'\\p{Cntrl}]");
  private static final String ETAG = "odata.etag";

  private Tables() {}

  /** Whether {@code key} can be a partition or row key; ids from URLs that cannot are simply unknown. */
  static boolean isSafeKey(String key) {
    return key != null && !key.isEmpty() && key.length() <= 512 && !UNSAFE_KEY.matcher(key).find();
  }

  static Optional<TableEntity> get(TableClient table, String partitionKey, String rowKey) {
    if (!isSafeKey(partitionKey) || !isSafeKey(rowKey)) {
      return Optional.empty();
    }
    try {
      return Optional.of(table.getEntity(partitionKey, rowKey));
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Creates the entity; false when it already exists. */
  static boolean createIfAbsent(TableClient table, TableEntity entity) {
    try {
      table.createEntity(entity);
      return true;
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  static void create(TableClient table, TableEntity entity, String what) {
    if (!createIfAbsent(table, entity)) {
      throw new ConflictException(what + " '" + entity.getRowKey() + "' exists");
    }
  }

  static List<TableEntity> partition(TableClient table, String partitionKey, Integer pageSize) {
    if (!isSafeKey(partitionKey)) {
      return List.of();
    }
    ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + partitionKey + "'");
    if (pageSize != null) {
      options.setTop(pageSize);
    }
    var pages = table.listEntities(options, null, null);
    return pageSize == null ? pages.stream().toList() : pages.stream().limit(pageSize).toList();
  }

  static boolean deleteIfPresent(TableClient table, String partitionKey, String rowKey) {
    if (!isSafeKey(partitionKey) || !isSafeKey(rowKey)) {
      return false;
    }
    try {
      table.deleteEntity(partitionKey, rowKey);
      return true;
    } catch (TableServiceException e) {
      if (e.getResponse().getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Makes a write conditional on {@code etag} (the SDK reads it from this property). */
  static TableEntity withETag(TableEntity entity, String etag) {
    return entity.addProperty(ETAG, etag);
  }

  static TableEntity put(TableEntity entity, String name, Object value) {
    if (value instanceof Instant instant) {
      return entity.addProperty(name, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
    if (value instanceof Enum<?> constant) {
      return entity.addProperty(name, constant.name());
    }
    return value == null ? entity : entity.addProperty(name, value);
  }

  static String string(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    return value == null ? null : value.toString();
  }

  /** A JSON column as {@code type}; a {@link CorruptDataException} naming the row and column if it is not. */
  static <T> T stored(TableEntity entity, String name, Class<T> type) {
    try {
      return Json.readStored(string(entity, name), type, "column " + name + " of table row "
          + entity.getPartitionKey() + "/" + entity.getRowKey());
    } catch (DamagedJsonException e) {
      throw new CorruptDataException(e.getMessage(), e);
    }
  }

  static Instant instant(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    if (value == null) {
      return null;
    }
    return value instanceof OffsetDateTime time ? time.toInstant() : OffsetDateTime.parse(value.toString()).toInstant();
  }

  static Integer integer(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    return value == null ? null : ((Number) value).intValue();
  }

  static Long number(TableEntity entity, String name) {
    Object value = entity.getProperty(name);
    return value == null ? null : ((Number) value).longValue();
  }

  static <E extends Enum<E>> E enumOf(TableEntity entity, String name, Class<E> type) {
    String value = string(entity, name);
    return value == null ? null : Enum.valueOf(type, value);
  }
}
