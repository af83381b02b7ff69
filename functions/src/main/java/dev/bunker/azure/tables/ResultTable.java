package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table {@code results}: a run's result per repository (or project's metadata), partition the run
 * id, row key the repository id. A dispatch claim is a replace conditional on the ETag read (by the
 * query that found the candidate, or read again).
 */
final class ResultTable {
  static final String TABLE = "results";
  private static final Column<String> ORGANIZATION_ID = Column.string("organizationId");
  private static final Column<String> PROJECT = Column.string("project");
  private static final Column<String> REPOSITORY = Column.string("repository");
  private static final Column<ResultStatus> STATUS = Column.enumOf("status", ResultStatus.class);
  private static final Column<Integer> ATTEMPTS = Column.integer("attempts");
  private static final Column<Instant> DISPATCHED_AT = Column.instant("dispatchedAt");
  private static final Column<Instant> STARTED_AT = Column.instant("startedAt");
  private static final Column<Instant> FINISHED_AT = Column.instant("finishedAt");
  private static final Column<String> SNAPSHOT_ID = Column.string("snapshotId");
  private static final Column<Long> PACK_BYTES_ADDED = Column.number("packBytesAdded");
  private static final Column<Long> OBJECTS_ADDED = Column.number("objectsAdded");
  private static final Column<String> ERROR = Column.string("error");
  private static final Column<ResultKind> KIND = Column.enumOf("kind", ResultKind.class);

  /** More results than any run has in flight at once. */
  private static final int MAX_READ = 100_000;

  /** How long a claim marked in this process makes its other claims of the row lose without a request. */
  private static final Duration CLAIM_MARK = Duration.ofSeconds(30);

  /** About how many claims of a run are sent but not started yet: the usual concurrency. */
  private static final int UNSTARTED_CLAIMS = 16;

  /**
   * More candidates than this process's dispatchers leave unclaimed between two clears: at most a
   * run's concurrency per fill.
   */
  private static final int REMEMBERED_CANDIDATES = 1_000;

  private final TableRows<RepositoryResult> rows;
  /** The candidates {@link #awaitingDispatch} answered, with their rows' ETags, until claimed. */
  private final Map<Key, Versioned<RepositoryResult>> candidates = new ConcurrentHashMap<>();
  /**
   * The claims this process won or is making, and when: the backups finishing together in one
   * process list the same candidates, and all but the first to claim one lose it without a request.
   * A mark counts for {@link #CLAIM_MARK} only: long enough for the fills that listed the candidate
   * with it, short enough that a result withdrawn and added again meanwhile is claimed soon.
   */
  private final Map<Key, Instant> claimedHere = new ConcurrentHashMap<>();

  private record Key(String runId, String repositoryId) {}

  ResultTable(TableClient table) {
    this.rows = new TableRows<>(table, "result", ResultTable::row, ResultTable::result);
  }

  /** Adds the results not recorded yet (a redelivered discovery adds only the missing ones). */
  void addIfAbsent(Collection<RepositoryResult> added) {
    rows.insertAllIfAbsent(added);
  }

  Optional<RepositoryResult> find(String runId, String repositoryId) {
    return rows.find(runId, repositoryId);
  }

  void save(RepositoryResult result) {
    rows.upsert(result);
  }

  List<RepositoryResult> list(String runId) {
    return rows.partition(runId);
  }

  /**
   * Running, retrying (queued after an attempt), or claimed since {@code unsentBefore}: a row
   * without {@code dispatchedAt} meets no comparison on it.
   */
  List<RepositoryResult> inFlight(String runId, Instant unsentBefore) {
    String queued = STATUS.is(ResultStatus.QUEUED);
    return rows.first(runId, "(" + STATUS.is(ResultStatus.RUNNING) + " or (" + queued + " and "
        + ATTEMPTS.greaterThan(0) + ") or (" + queued + " and " + DISPATCHED_AT.atLeast(unsentBefore) + "))",
        MAX_READ, 0, result -> !result.awaitsDispatch(unsentBefore));
  }

  /**
   * Queued and never attempted: the claims not started yet are too, and are read and passed over
   * (pages hold {@link #UNSTARTED_CLAIMS} more rows than asked for, then the next page is read).
   */
  List<RepositoryResult> awaitingDispatch(String runId, Instant unsentBefore, int top) {
    List<Versioned<RepositoryResult>> found = rows.firstVersioned(runId,
        STATUS.is(ResultStatus.QUEUED) + " and " + ATTEMPTS.is(0), top, UNSTARTED_CLAIMS,
        result -> result.awaitsDispatch(unsentBefore));
    if (candidates.size() > REMEMBERED_CANDIDATES) {
      candidates.clear(); // candidates nobody claimed; a claim without its version reads the row
    }
    found.forEach(candidate -> candidates.put(new Key(runId, candidate.value().repositoryId()), candidate));
    return found.stream().map(Versioned::value).toList();
  }

  boolean allFinished(String runId) {
    return rows.first(runId, "(" + STATUS.is(ResultStatus.QUEUED) + " or " + STATUS.is(ResultStatus.RUNNING) + ")",
        1, 0, result -> true).isEmpty();
  }

  /**
   * Lost at once when this process is claiming the row, or claimed it less than {@link
   * #CLAIM_MARK} ago and since {@code unsentBefore}: the row then says dispatched since then (unless
   * a discovery withdrew it and added it again meanwhile: then it waits for the mark to lapse).
   * Else replace conditional on the ETag of the row as {@link #awaitingDispatch} read it, when this
   * process read it there; else (or when another write came first) read, check, then replace
   * conditional on the ETag read, as often as a race is lost. Either way exactly one claimer wins.
   */
  boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore) {
    Key key = new Key(runId, repositoryId);
    if (claimedHere.size() > REMEMBERED_CANDIDATES) {
      claimedHere.clear(); // claims of runs long ended; a claim forgotten is checked in the table again
    }
    // marked before the request, so that the backups finishing beside this one lose at once
    boolean[] marked = {false};
    claimedHere.compute(key, (k, claimed) -> {
      if (claimed != null && !claimed.isBefore(unsentBefore) && claimed.isAfter(now.minus(CLAIM_MARK))) {
        return claimed;
      }
      marked[0] = true;
      return now;
    });
    if (!marked[0]) {
      return false;
    }
    // taken by the one that marked it: had a loser taken it, the winner would read the row
    Versioned<RepositoryResult> candidate = candidates.remove(key);
    boolean won = false;
    try {
      won = candidate != null && candidate.value().awaitsDispatch(unsentBefore)
          && rows.replaceIfAt(candidate.value().dispatched(now), candidate.version()).isPresent()
          || rows.replaceAsRead(runId, repositoryId, result -> result.awaitsDispatch(unsentBefore)
              ? Optional.of(result.dispatched(now)) : Optional.empty()).isPresent();
      return won;
    } finally {
      if (!won) {
        claimedHere.remove(key, now);
      }
    }
  }

  /** Read, check, then delete conditional on the ETag read; a lost race re-reads and checks again. */
  boolean withdraw(String runId, String repositoryId) {
    return rows.deleteAsRead(runId, repositoryId, RepositoryResult::isWithdrawable);
  }

  private static Row row(RepositoryResult result) {
    return Row.at(result.runId(), result.repositoryId())
        .with(ORGANIZATION_ID, result.organizationId())
        .with(PROJECT, result.project())
        .with(REPOSITORY, result.repository())
        .with(STATUS, result.status())
        .with(ATTEMPTS, result.attempts())
        .with(DISPATCHED_AT, result.dispatchedAt())
        .with(STARTED_AT, result.startedAt())
        .with(FINISHED_AT, result.finishedAt())
        .with(SNAPSHOT_ID, result.snapshotId())
        .with(PACK_BYTES_ADDED, result.packBytesAdded())
        .with(OBJECTS_ADDED, result.objectsAdded())
        .with(ERROR, result.error())
        .with(KIND, result.kind());
  }

  private static RepositoryResult result(Row row) {
    return new RepositoryResult(row.partitionKey(), row.rowKey(), row.get(ORGANIZATION_ID), row.get(PROJECT),
        row.get(REPOSITORY), row.get(STATUS), row.get(ATTEMPTS), row.get(DISPATCHED_AT), row.get(STARTED_AT),
        row.get(FINISHED_AT), row.get(SNAPSHOT_ID), row.get(PACK_BYTES_ADDED), row.get(OBJECTS_ADDED), row.get(ERROR),
        // results written before metadata backups existed have no kind: they are repositories
        row.get(KIND, ResultKind.REPOSITORY));
  }
}
