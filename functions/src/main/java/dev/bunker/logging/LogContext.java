package dev.bunker.logging;

import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The ids a thread is working for (organization, run, repository…), set by a queue worker for the
 * length of one message so that every line logged on that thread, JGit's and the Azure SDK's
 * included, names them: {@link ScopeStamp} puts them in front of each message. Lines logged on
 * other threads (the SDK's network threads) carry none.
 */
public final class LogContext {
  private static final ThreadLocal<Map<String, String>> CURRENT = ThreadLocal.withInitial(Map::of);

  private LogContext() {
  }

  /** The ids of this thread, in the order they were set; empty outside a scope. */
  public static Map<String, String> current() {
    return CURRENT.get();
  }

  /**
   * Scopes the thread to the ids of {@code work}: each of its record components named {@code …Id}
   * that holds a value (organizationId, runId, repositoryId, snapshotId, restoreId, projectId).
   */
  public static Scope open(Record work) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (RecordComponent component : work.getClass().getRecordComponents()) {
      if (component.getName().endsWith("Id")) {
        Object value;
        try {
          value = component.getAccessor().invoke(work);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + component.getName() + " of " + work.getClass(), e);
        }
        if (value != null) {
          ids.put(component.getName(), value.toString());
        }
      }
    }
    return open(ids);
  }

  /** Scopes the thread to {@code ids} until the scope is closed; the previous scope comes back then. */
  public static Scope open(Map<String, String> ids) {
    Map<String, String> previous = CURRENT.get();
    CURRENT.set(Collections.unmodifiableMap(new LinkedHashMap<>(ids)));
    return () -> CURRENT.set(previous);
  }

  /** {@code [organizationId=… runId=… repositoryId=…] }, or nothing outside a scope. */
  static String stamp() {
    Map<String, String> ids = CURRENT.get();
    if (ids.isEmpty()) {
      return "";
    }
    return ids.entrySet().stream().map(id -> id.getKey() + "=" + id.getValue())
        .collect(Collectors.joining(" ", "[", "] "));
  }

  /** Ends a scope; closing never fails. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
