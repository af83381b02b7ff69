package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunEnded;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.port.RunRecords;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code runs}: partition the organization id, row key the run id (an inverted start time, so
 * a partition reads newest first). Each run's results are in {@link ResultTable}.
 */
final class RunTable implements RunRecords {
  static final String TABLE = "runs";
  private static final Column<Trigger> TRIGGER = Column.enumOf("trigger", Trigger.class);
  private static final Column<Instant> SLOT = Column.instant("slot");
  /** Absent for a run of everything. */
  private static final Column<RunSelection> SELECTION = Column.json("selection", RunSelection.class);
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Instant> DISCOVERED_AT = Column.instant("discoveredAt");
  private static final Column<Integer> REPOSITORY_COUNT = Column.integer("repositoryCount");
  private static final Column<String> ERROR = Column.string("error");
  private static final Column<RunEnded> ENDED = Column.json("ended", RunEnded.class);

  private final TableRows<Run> rows;
  private final ResultTable results;

  RunTable(TableClient runs, ResultTable results) {
    this.rows = new TableRows<>(runs, "run", RunTable::row, RunTable::run);
    this.results = results;
  }

  @Override
  public boolean createIfAbsent(Run run) {
    return rows.insertIfAbsent(run);
  }

  @Override
  public Optional<Run> find(String organizationId, String runId) {
    return rows.find(organizationId, runId);
  }

  @Override
  public void update(Run run) {
    rows.replace(run);
  }

  @Override
  public void recordEnd(String organizationId, String runId, RunEnded ended) {
    rows.mergeIfPresent(Row.at(organizationId, runId).with(ENDED, ended));
  }

  @Override
  public List<Run> newest(String organizationId, int top) {
    return rows.first(organizationId, top);
  }

  @Override
  public void addResultsIfAbsent(Collection<RepositoryResult> added) {
    results.addIfAbsent(added);
  }

  @Override
  public Optional<RepositoryResult> result(String runId, String repositoryId) {
    return results.find(runId, repositoryId);
  }

  @Override
  public void saveResult(RepositoryResult result) {
    results.save(result);
  }

  @Override
  public List<RepositoryResult> results(String runId) {
    return results.list(runId);
  }

  @Override
  public List<RepositoryResult> inFlight(String runId, Instant unsentBefore) {
    return results.inFlight(runId, unsentBefore);
  }

  @Override
  public List<RepositoryResult> awaitingDispatch(String runId, Instant unsentBefore, int top) {
    return results.awaitingDispatch(runId, unsentBefore, top);
  }

  @Override
  public boolean allFinished(String runId) {
    return results.allFinished(runId);
  }

  @Override
  public boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore) {
    return results.claimDispatch(runId, repositoryId, now, unsentBefore);
  }

  @Override
  public boolean withdraw(String runId, String repositoryId) {
    return results.withdraw(runId, repositoryId);
  }

  private static Row row(Run run) {
    return Row.at(run.organizationId(), run.id())
        .with(TRIGGER, run.trigger())
        .with(SLOT, run.slot())
        .with(SELECTION, run.selection())
        .with(CREATED_AT, run.createdAt())
        .with(DISCOVERED_AT, run.discoveredAt())
        .with(REPOSITORY_COUNT, run.repositoryCount())
        .with(ERROR, run.error())
        .with(ENDED, run.ended());
  }

  private static Run run(Row row) {
    return new Run(row.partitionKey(), row.rowKey(), row.get(TRIGGER), row.get(SLOT),
        row.get(SELECTION, RunSelection.EVERYTHING), row.get(CREATED_AT), row.get(DISCOVERED_AT),
        row.get(REPOSITORY_COUNT), row.get(ERROR), row.get(ENDED));
  }
}
