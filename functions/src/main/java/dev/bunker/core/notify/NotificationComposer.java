package dev.bunker.core.notify;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.port.RunRecords;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a notification says: a run's end or a day's summary, read from the run records, with its
 * failures shortened and limited to what Teams and Slack accept, and a link to the console. The
 * event keys name what was sent, so each event is claimed and delivered once.
 */
final class NotificationComposer {
  /** A message lists at most this many failures (Teams and Slack limit message sizes). */
  static final int MAX_FAILURES_LISTED = 20;
  static final int MAX_REASON_CHARS = 300;
  /** The runs a daily summary covers: the day before it. */
  static final Duration SUMMARY_WINDOW = Duration.ofDays(1);
  private static final int SUMMARY_MAX_RUNS = 100;

  private final RunRecords runs;
  private final Optional<URI> console;
  private final Clock clock;

  NotificationComposer(RunRecords runs, Optional<URI> console, Clock clock) {
    this.runs = runs;
    this.console = console;
    this.clock = clock;
  }

  /** A test notification, sent now. */
  Notification test(Organization organization) {
    Instant now = clock.instant();
    return new Notification("test-" + now.toEpochMilli(), NotificationEvent.TEST, organization.id(),
        organization.url(), null, null, null, null, List.of(), link(organization.id(), null), now);
  }

  /** The notification of the run's end; empty when the run is gone or has not ended. */
  Optional<Notification> runNotification(Organization organization, String runId) {
    Optional<Run> run = runs.find(organization.id(), runId);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    List<RepositoryResult> results = runs.results(runId);
    RunReport report = RunReport.of(run.get(), results, false);
    Optional<NotificationEvent> event = NotificationEvent.ofRun(report.status());
    if (event.isEmpty()) {
      return Optional.empty();
    }
    List<Notification.Failure> failures = new ArrayList<>();
    if (run.get().error() != null) {
      failures.add(new Notification.Failure(null, null, shortened(run.get().error())));
    }
    failures.addAll(failures(results));
    return Optional.of(new Notification(runKey(runId), event.get(), organization.id(), organization.url(), runId,
        report.status(), report.counts(), null, limited(failures), link(organization.id(), runId), clock.instant()));
  }

  /** The summary of the organization's runs in the {@link #SUMMARY_WINDOW} before {@code at}. */
  Notification summary(Organization organization, Instant at) {
    Instant since = at.minus(SUMMARY_WINDOW);
    List<Run> day = runs.newest(organization.id(), SUMMARY_MAX_RUNS).stream()
        .filter(run -> !run.createdAt().isBefore(since) && run.createdAt().isBefore(at)).toList();
    int succeeded = 0;
    int partially = 0;
    int failed = 0;
    int unfinished = 0;
    // the newest failure of each repository
    Map<String, Notification.Failure> failures = new LinkedHashMap<>();
    for (Run run : day) {
      List<RepositoryResult> results = runs.results(run.id());
      switch (RunStatus.of(run, results)) {
        case SUCCEEDED -> succeeded++;
        case PARTIALLY_SUCCEEDED -> partially++;
        case FAILED -> failed++;
        case QUEUED, RUNNING -> unfinished++;
      }
      if (run.error() != null) {
        failures.putIfAbsent("run", new Notification.Failure(null, null, shortened(run.error())));
      }
      Map<String, Notification.Failure> ofRun = new HashMap<>();
      for (Notification.Failure failure : failures(results)) {
        ofRun.put(failure.project() + "/" + failure.repository(), failure);
      }
      ofRun.forEach(failures::putIfAbsent);
    }
    return new Notification(summaryKey(at), NotificationEvent.DAILY_SUMMARY, organization.id(), organization.url(),
        null, null, null, new Notification.RunTotals(day.size(), succeeded, partially, failed, unfinished),
        limited(new ArrayList<>(failures.values())), link(organization.id(), null), at);
  }

  private static List<Notification.Failure> failures(List<RepositoryResult> results) {
    return results.stream().filter(result -> result.status() == ResultStatus.FAILED)
        .map(result -> new Notification.Failure(result.project(), result.repository(), shortened(result.error())))
        .toList();
  }

  private static List<Notification.Failure> limited(List<Notification.Failure> failures) {
    return List.copyOf(failures.subList(0, Math.min(MAX_FAILURES_LISTED, failures.size())));
  }

  private static String shortened(String reason) {
    if (reason == null) {
      return "no reason recorded";
    }
    return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "…";
  }

  private String link(String organizationId, String runId) {
    return console.map(base -> base + "#/organizations/" + organizationId + (runId == null ? "" : "/runs/" + runId))
        .orElse(null);
  }

  static String runKey(String runId) {
    return "run-" + runId;
  }

  static String summaryKey(Instant at) {
    return "summary-" + at.atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
