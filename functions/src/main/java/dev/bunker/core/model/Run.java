package dev.bunker.core.model;

import java.time.Instant;

/**
 * One backup run of an organization. Its status is not stored while it runs: {@link RunReport}
 * derives it from the per-repository results, so no two workers ever race on a shared counter.
 * {@code discoveredAt} is set once discovery has written the results; {@code error} when discovery
 * itself failed; {@code ended} once its end was seen ({@link RunEnded}), null before and on runs
 * recorded before it existed.
 */
public record Run(
    String organizationId,
    String id,
    Trigger trigger,
    Instant slot,
    RunSelection selection,
    Instant createdAt,
    Instant discoveredAt,
    Integer repositoryCount,
    String error,
    RunEnded ended) {

  public static Run queued(String organizationId, String id, Trigger trigger, Instant slot, RunSelection selection) {
    return new Run(organizationId, id, trigger, slot, selection, RunIds.startedAt(id), null, null, null, null);
  }

  public Run discovered(Instant when, int repositories) {
    return new Run(organizationId, id, trigger, slot, selection, createdAt, when, repositories, null, ended);
  }

  public Run failed(Instant when, String reason) {
    return new Run(organizationId, id, trigger, slot, selection, createdAt, when, repositoryCount, reason, ended);
  }

  public Run withEnded(RunEnded how) {
    return new Run(organizationId, id, trigger, slot, selection, createdAt, discoveredAt, repositoryCount, error, how);
  }
}
