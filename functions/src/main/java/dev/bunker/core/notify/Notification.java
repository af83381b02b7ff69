package dev.bunker.core.notify;

import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import java.time.Instant;
import java.util.List;

/**
 * What one notification says, whatever the format it is sent in. {@code id} is the event key
 * (the same on every retry, so receivers can drop duplicates). For a run: {@code runId},
 * {@code status}, {@code counts} and the failing repositories; for a daily summary: {@code runs}
 * (the runs of the 24 hours before {@code at}) and the failures among them; for a test: neither.
 * {@code link} is the console's address when known, else null.
 */
public record Notification(
    String id,
    NotificationEvent event,
    String organizationId,
    String organizationUrl,
    String runId,
    RunStatus status,
    RunReport.Counts counts,
    RunTotals runs,
    List<Failure> failures,
    String link,
    Instant at) {

  /** A repository (or a project's metadata, {@code repository} null) that failed, and why. */
  public record Failure(String project, String repository, String reason) {}

  /** How the runs of a summary's day ended. */
  public record RunTotals(int total, int succeeded, int partiallySucceeded, int failed, int unfinished) {}
}
