package dev.bunker.core.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** A run as users see it: status and counts derived from its results, and the results when asked for one run. */
public record RunReport(
    String id,
    String organizationId,
    RunStatus status,
    Trigger trigger,
    Instant slot,
    Instant startedAt,
    Instant finishedAt,
    Counts counts,
    String error,
    List<RepositoryResult> results) {

  /**
   * How many results are in each state; {@code metadata} of the {@code total} are projects'
   * metadata (pull requests, work items, pipelines), the others repositories.
   */
  public record Counts(int total, int queued, int running, int succeeded, int failed, int metadata) {}

  /** A run whose end was recorded, without its results: as its results said when it ended. */
  public static RunReport ended(Run run) {
    RunEnded ended = run.ended();
    return new RunReport(run.id(), run.organizationId(), ended.status(), run.trigger(), run.slot(), run.createdAt(),
        ended.finishedAt(), ended.counts(), run.error(), null);
  }

  public static RunReport of(Run run, List<RepositoryResult> results, boolean withResults) {
    RunStatus status = RunStatus.of(run, results);
    Instant finishedAt = null;
    if (status == RunStatus.FAILED && run.error() != null) {
      finishedAt = run.discoveredAt();
    } else if (status != RunStatus.QUEUED && status != RunStatus.RUNNING) {
      // backups sent before discovery can finish before it: the run ends with the later of the two
      finishedAt = Stream.concat(results.stream().map(RepositoryResult::finishedAt), Stream.of(run.discoveredAt()))
          .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
    Counts counts = new Counts(
        results.size(),
        count(results, ResultStatus.QUEUED),
        count(results, ResultStatus.RUNNING),
        count(results, ResultStatus.SUCCEEDED),
        count(results, ResultStatus.FAILED),
        (int) results.stream().filter(result -> result.kind() == ResultKind.METADATA).count());
    return new RunReport(run.id(), run.organizationId(), status, run.trigger(), run.slot(), run.createdAt(),
        finishedAt, counts, run.error(), withResults ? List.copyOf(results) : null);
  }

  private static int count(List<RepositoryResult> results, ResultStatus status) {
    return (int) results.stream().filter(result -> result.status() == status).count();
  }
}
