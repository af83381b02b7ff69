package dev.bunker.azure.tables;

import com.azure.core.http.HttpHeaderName;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Versioned;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The records of one Azure Table, each one {@link Row} by the table's mapping ({@code write} and
 * {@code read}); the one place that calls the Tables SDK. Its guarantees:
 *
 * <ul>
 *   <li>Keys Azure Tables cannot hold (ids taken from URLs) are rows that do not exist: reads find
 *       nothing, deletes delete nothing.
 *   <li>A conditional write names the ETag read ({@link Versioned#version()}); losing to another
 *       write (412) or finding the row gone (404) is an answer ("stale"), never an exception.
 *   <li>Batches are split into transactions of one partition and at most 100 operations each.
 *   <li>A partition is read in row key order; {@link #first} reads only as many rows as asked for.
 * </ul>
 */
public final class TableRows<R> {
  /** Azure Tables' limit on operations in one transaction. */
  private static final int TRANSACTION_LIMIT = 100;
  /** Characters Azure Tables forbids in keys, plus the quote that would end an OData literal. */
  private static final Pattern UNSAFE_KEY = Pattern.compile("[/\\\\#?'\\p{Cntrl}]");

  private final TableClient table;
  private final String what;
  private final Function<R, Row> write;
  private final Function<Row, R> read;

  /** {@code what} names a record in errors ("organization 'x' exists"). */
  public TableRows(TableClient table, String what, Function<R, Row> write, Function<Row, R> read) {
    this.table = table;
    this.what = what;
    this.write = write;
    this.read = read;
  }

  /** The table {@code name}, created when missing. */
  public static TableClient open(TableServiceClient service, String name) {
    service.createTableIfNotExists(name);
    return service.getTableClient(name);
  }

  public Optional<R> find(String partitionKey, String rowKey) {
    return row(partitionKey, rowKey).map(read);
  }

  public Optional<Versioned<R>> findVersioned(String partitionKey, String rowKey) {
    return row(partitionKey, rowKey).map(this::versioned);
  }

  /** Every record of the partition, in row key order. */
  public List<R> partition(String partitionKey) {
    return rows(partitionKey, null, null).stream().map(read).toList();
  }

  public List<Versioned<R>> partitionVersioned(String partitionKey) {
    return rows(partitionKey, null, null).stream().map(this::versioned).toList();
  }

  /** The partition's first {@code top} records in row key order, reading no more. */
  public List<R> first(String partitionKey, int top) {
    return rows(partitionKey, null, top).stream().map(read).toList();
  }

  /** The first {@code top} records of the partition that meet {@code condition} (an OData filter), in row key order. */
  public List<R> first(String partitionKey, String condition, int top) {
    return rows(partitionKey, condition, top).stream().map(read).toList();
  }

  /** Adds the record; a {@link ConflictException} when its row exists. */
  public void insert(R record) {
    if (!insertIfAbsent(record)) {
      throw new ConflictException(what + " '" + write.apply(record).rowKey() + "' exists");
    }
  }

  /** Adds the record; false, changing nothing, when its row exists. */
  public boolean insertIfAbsent(R record) {
    return createIfAbsent(write.apply(record).entity());
  }

  /** Adds the records whose rows do not exist yet, a transaction at a time where none exists. */
  public void insertAllIfAbsent(Collection<R> records) {
    for (List<TableTransactionAction> chunk : transactions(
        records.stream().map(write).toList(), TableTransactionActionType.CREATE)) {
      try {
        table.submitTransaction(chunk);
      } catch (TableTransactionFailedException e) {
        // some exist already (a redelivered message): add the missing ones one by one
        chunk.forEach(action -> createIfAbsent(action.getEntity()));
      }
    }
  }

  /** Replaces the record's row, which must exist, with exactly its columns. */
  public void replace(R record) {
    table.updateEntity(write.apply(record).entity(), TableEntityUpdateMode.REPLACE);
  }

  /** Adds the record's row, or merges its columns into the existing row (keeping the others). */
  public void upsert(R record) {
    table.upsertEntity(write.apply(record).entity());
  }

  /** Merges {@code columns} into their existing row, keeping the columns it does not name. */
  public void merge(Row columns) {
    table.updateEntity(columns.entity(), TableEntityUpdateMode.MERGE);
  }

  /** Merges {@code columns} into the row if it exists (one request); a row that is gone is left gone. */
  public void mergeIfPresent(Row columns) {
    try {
      table.updateEntity(columns.entity(), TableEntityUpdateMode.MERGE);
    } catch (TableServiceException e) {
      if (status(e) != 404) {
        throw e;
      }
    }
  }

  /** Adds or merges each of {@code columns}, a transaction per partition and 100 rows. */
  public void upsertAll(Collection<Row> columns) {
    transactions(columns, TableTransactionActionType.UPSERT_MERGE).forEach(table::submitTransaction);
  }

  /**
   * Replaces the record's row if it is still at {@code version}: the new version, or empty when
   * another write came first or the row is gone.
   */
  public Optional<String> replaceIfAt(R record, String version) {
    try {
      var response = table.updateEntityWithResponse(write.apply(record).entityAt(version),
          TableEntityUpdateMode.REPLACE, true, null, null);
      return Optional.of(wellFormed(response.getHeaders().getValue(HttpHeaderName.ETAG)));
    } catch (TableServiceException e) {
      if (isStale(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Read, decide, write conditional on the ETag read: {@code change} gives the replacement of the
   * record read, or empty to leave it; a lost race reads and decides again. The record written, or
   * empty when the row does not exist or {@code change} left it.
   */
  public Optional<R> replaceAsRead(String partitionKey, String rowKey, Function<R, Optional<R>> change) {
    while (true) {
      Optional<Row> row = row(partitionKey, rowKey);
      Optional<R> replacement = row.map(read).flatMap(change);
      if (replacement.isEmpty() || replaceIfAt(replacement.get(), row.get().etag()).isPresent()) {
        return replacement;
      }
    }
  }

  /**
   * Read, decide, delete conditional on the ETag read: the row is deleted when {@code condition}
   * holds for the record read; a lost race reads and decides again. True when this call deleted it.
   */
  public boolean deleteAsRead(String partitionKey, String rowKey, Predicate<R> condition) {
    while (true) {
      Optional<Row> row = row(partitionKey, rowKey);
      if (row.isEmpty() || !condition.test(read.apply(row.get()))) {
        return false;
      }
      try {
        table.deleteEntityWithResponse(row.get().entityAt(row.get().etag()), true, null, null);
        return true;
      } catch (TableServiceException e) {
        if (!isStale(e)) {
          throw e;
        }
      }
    }
  }

  /** Deletes the row; false when there was none. */
  public boolean delete(String partitionKey, String rowKey) {
    if (!isSafeKey(partitionKey) || !isSafeKey(rowKey)) {
      return false;
    }
    try {
      table.deleteEntity(partitionKey, rowKey);
      return true;
    } catch (TableServiceException e) {
      if (status(e) == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes the partition's rows that meet {@code condition} (an OData filter such as {@link Column#lessThan}),
   * a transaction per 100 rows.
   */
  public int deleteWhere(String partitionKey, String condition) {
    ListEntitiesOptions options = new ListEntitiesOptions()
        .setFilter(partitionIs(partitionKey) + " and " + condition).setSelect(List.of("RowKey"));
    List<String> rowKeys = new ArrayList<>();
    int deleted = 0;
    for (TableEntity entity : table.listEntities(options, null, null)) {
      rowKeys.add(entity.getRowKey());
      if (rowKeys.size() == TRANSACTION_LIMIT) {
        deleted += deleteAll(partitionKey, rowKeys);
        rowKeys.clear();
      }
    }
    return deleted + (rowKeys.isEmpty() ? 0 : deleteAll(partitionKey, rowKeys));
  }

  private int deleteAll(String partitionKey, List<String> rowKeys) {
    try {
      table.submitTransaction(rowKeys.stream().map(rowKey -> new TableTransactionAction(
          TableTransactionActionType.DELETE, new TableEntity(partitionKey, rowKey))).toList());
      return rowKeys.size();
    } catch (TableTransactionFailedException e) {
      // a row already gone (another cleaner came first) fails the whole transaction: one by one
      return (int) rowKeys.stream().filter(rowKey -> delete(partitionKey, rowKey)).count();
    }
  }

  /** Whether {@code key} can be a partition or row key; ids from URLs that cannot are simply unknown. */
  private static boolean isSafeKey(String key) {
    return key != null && !key.isEmpty() && key.length() <= 512 && !UNSAFE_KEY.matcher(key).find();
  }

  private Optional<Row> row(String partitionKey, String rowKey) {
    if (!isSafeKey(partitionKey) || !isSafeKey(rowKey)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Row.of(table.getEntity(partitionKey, rowKey)));
    } catch (TableServiceException e) {
      if (status(e) == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The first {@code top} records that meet {@code condition} (an OData filter) and {@code keep}, in
   * row key order: pages of {@code top + skipped} rows are read, where {@code skipped} is how many
   * rows {@code keep} is expected to refuse, until {@code top} are kept or the rows run out.
   */
  public List<R> first(String partitionKey, String condition, int top, int skipped, Predicate<R> keep) {
    return firstVersioned(partitionKey, condition, top, skipped, keep).stream().map(Versioned::value).toList();
  }

  /** As {@link #first(String, String, int, int, Predicate)}, each record with its row's ETag. */
  public List<Versioned<R>> firstVersioned(String partitionKey, String condition, int top, int skipped,
      Predicate<R> keep) {
    if (!isSafeKey(partitionKey) || top <= 0) {
      return List.of();
    }
    ListEntitiesOptions options = new ListEntitiesOptions()
        .setFilter(partitionIs(partitionKey) + " and " + condition)
        .setTop(Math.min(top + skipped, 1000));
    return table.listEntities(options, null, null).stream()
        .map(entity -> versioned(Row.of(entity))).filter(found -> keep.test(found.value())).limit(top).toList();
  }

  private List<Row> rows(String partitionKey, String condition, Integer top) {
    if (!isSafeKey(partitionKey)) {
      return List.of();
    }
    ListEntitiesOptions options = new ListEntitiesOptions()
        .setFilter(partitionIs(partitionKey) + (condition == null ? "" : " and " + condition));
    if (top != null) {
      options.setTop(Math.min(top, 1000)); // a page holds at most 1,000 entities; pages are followed
    }
    var pages = table.listEntities(options, null, null).stream();
    return (top == null ? pages : pages.limit(top)).map(Row::of).toList();
  }

  private static String partitionIs(String partitionKey) {
    return "PartitionKey eq '" + partitionKey + "'";
  }

  private Versioned<R> versioned(Row row) {
    return new Versioned<>(read.apply(row), row.etag());
  }

  private boolean createIfAbsent(TableEntity entity) {
    try {
      table.createEntity(entity);
      return true;
    } catch (TableServiceException e) {
      if (status(e) == 409) {
        return false;
      }
      throw e;
    }
  }

  private static List<List<TableTransactionAction>> transactions(Collection<Row> rows,
      TableTransactionActionType type) {
    Map<String, List<TableTransactionAction>> byPartition = new LinkedHashMap<>();
    for (Row row : rows) {
      byPartition.computeIfAbsent(row.partitionKey(), key -> new ArrayList<>())
          .add(new TableTransactionAction(type, row.entity()));
    }
    List<List<TableTransactionAction>> transactions = new ArrayList<>();
    for (List<TableTransactionAction> actions : byPartition.values()) {
      for (int from = 0; from < actions.size(); from += TRANSACTION_LIMIT) {
        transactions.add(actions.subList(from, Math.min(actions.size(), from + TRANSACTION_LIMIT)));
      }
    }
    return transactions;
  }

  private static boolean isStale(TableServiceException e) {
    return status(e) == 412 || status(e) == 404;
  }

  private static int status(TableServiceException e) {
    return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
  }

  /** Azurite 3.37 drops the closing quote of the ETag header (not of the entity's etag); put it back. */
  private static String wellFormed(String etag) {
    return etag != null && etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
  }
}
