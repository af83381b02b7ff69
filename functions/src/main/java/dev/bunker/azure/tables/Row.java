package dev.bunker.azure.tables;

import com.azure.data.tables.models.TableEntity;

/**
 * One row of a table: its partition and row key, typed columns ({@link Column}) and, when read, the
 * ETag that a conditional write names. A row built for a merge holds only the columns it writes.
 */
public final class Row {
  /** The property the SDK reads a write's If-Match condition from. */
  private static final String ETAG = "odata.etag";

  private final TableEntity entity;

  private Row(TableEntity entity) {
    this.entity = entity;
  }

  /** A new row at these keys, without columns. */
  public static Row at(String partitionKey, String rowKey) {
    return new Row(new TableEntity(partitionKey, rowKey));
  }

  static Row of(TableEntity entity) {
    return new Row(entity);
  }

  /** Sets {@code column}; a {@code null} value leaves the column out. */
  public <T> Row with(Column<T> column, T value) {
    if (value != null) {
      entity.addProperty(column.name(), column.store(value));
    }
    return this;
  }

  /** The column's value; {@code null} when the row has no such column. */
  public <T> T get(Column<T> column) {
    return get(column, null);
  }

  /** The column's value; {@code absent} when the row has no such column (written before it existed). */
  public <T> T get(Column<T> column, T absent) {
    Object stored = entity.getProperty(column.name());
    return stored == null ? absent : column.load(stored, this);
  }

  public String partitionKey() {
    return entity.getPartitionKey();
  }

  public String rowKey() {
    return entity.getRowKey();
  }

  /** The ETag the row was read at; {@code null} for a row built here. */
  String etag() {
    return entity.getETag();
  }

  TableEntity entity() {
    return entity;
  }

  /** The entity, its write made conditional on {@code etag}. */
  TableEntity entityAt(String etag) {
    return entity.addProperty(ETAG, etag);
  }
}
