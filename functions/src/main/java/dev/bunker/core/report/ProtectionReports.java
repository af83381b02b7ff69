package dev.bunker.core.report;

import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.ProtectionReport;
import dev.bunker.core.model.ProtectionReport.FailurePoint;
import dev.bunker.core.model.ProtectionReport.History;
import dev.bunker.core.model.ProtectionReport.MetadataProtection;
import dev.bunker.core.model.ProtectionReport.OrganizationReport;
import dev.bunker.core.model.ProtectionReport.RepositoryProtection;
import dev.bunker.core.model.ProtectionReport.RunPoint;
import dev.bunker.core.model.ProtectionReport.StoragePoint;
import dev.bunker.core.model.ProtectionReport.Totals;
import dev.bunker.core.model.ProtectionStatus;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Schedule;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.Catalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The protection report, computed from the catalog: each repository's snapshots and verification,
 * and the recent runs' results (the last attempt, metadata snapshots, durations and failures).
 */
public final class ProtectionReports {
  /** The runs read per organization: at four runs a day, a month of history. */
  public static final int RECENT_RUNS = 120;
  /**
   * How long after a slot its run may take before the repository counts as having missed it: a
   * repository backed up at the previous slot is still protected while the current slot's run works.
   */
  public static final Duration GRACE = Duration.ofHours(3);

  private final Catalog catalog;
  private final Clock clock;

  public ProtectionReports(Catalog catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  /** Every active organization's report, with totals over all of them. */
  public ProtectionReport all() {
    Instant now = clock.instant();
    List<OrganizationReport> organizations = catalog.organizations().list().stream().map(Versioned::value)
        .filter(Organization::isActive).sorted(Comparator.comparing(Organization::url))
        .map(organization -> report(organization, now)).toList();
    return new ProtectionReport(now, sum(organizations.stream().map(OrganizationReport::totals).toList()),
        organizations);
  }

  /** One organization's report; {@link NotFoundException} for an unknown or deleted one. */
  public ProtectionReport of(String organizationId) {
    Instant now = clock.instant();
    Organization organization = catalog.organizations().find(organizationId).map(Versioned::value)
        .filter(Organization::isActive).orElseThrow(() -> new NotFoundException("organization", organizationId));
    OrganizationReport report = report(organization, now);
    return new ProtectionReport(now, report.totals(), List.of(report));
  }

  private OrganizationReport report(Organization organization, Instant now) {
    Schedule schedule = organization.policy().schedule();
    Instant dueSince = lastSlotAtOrBefore(schedule, now.minus(GRACE)).orElse(null);
    List<Run> runs = catalog.runs().newest(organization.id(), RECENT_RUNS);
    Map<Run, List<RepositoryResult>> results = new LinkedHashMap<>();
    runs.forEach(run -> results.put(run, catalog.runs().results(run.id())));

    List<RepositoryProtection> repositories = new ArrayList<>();
    Map<LocalDate, Long> packBytesByDay = new TreeMap<>();
    for (Repository repository : catalog.repositories().list(organization.id())) {
      if (repository.state() != RepositoryState.PROTECTED) {
        continue; // excluded, disabled or deleted at the source: not expected to be backed up
      }
      List<Snapshot> snapshots = catalog.snapshots().list(repository.key());
      snapshots
          .forEach(snapshot -> packBytesByDay.merge(day(snapshot.takenAt()), snapshot.packBytesAdded(), Long::sum));
      Optional<Snapshot> newest = snapshots.stream().max(Comparator.comparing(Snapshot::takenAt));
      Attempts attempts = attempts(results, repository.id());
      Instant lastAt = newest.map(Snapshot::takenAt).orElse(null);
      repositories.add(new RepositoryProtection(repository.id(), repository.name(), repository.project(),
          status(lastAt, attempts, dueSince), newest.map(Snapshot::id).orElse(null), lastAt, age(lastAt, now),
          attempts.lastError, attempts.lastErrorAt, snapshots.size(),
          snapshots.stream().mapToLong(Snapshot::packBytesAdded).sum(), repository.verifiedAt(),
          repository.damage()));
    }
    repositories.sort(Comparator.comparing(RepositoryProtection::project).thenComparing(RepositoryProtection::name));

    List<MetadataProtection> metadata = new ArrayList<>();
    Map<LocalDate, Long> metadataBytesByDay = new TreeMap<>();
    Map<String, String> scopes = new LinkedHashMap<>();
    results.values().forEach(list -> list.stream().filter(result -> result.kind() == ResultKind.METADATA)
        .forEach(result -> scopes.putIfAbsent(result.projectId(), result.project())));
    for (var scope : scopes.entrySet()) {
      String key = RepositoryResult.metadataKey(scope.getKey());
      List<RepositoryResult> succeeded = results.values().stream().flatMap(List::stream)
          .filter(result -> result.repositoryId().equals(key) && result.status() == ResultStatus.SUCCEEDED)
          .toList();
      succeeded.forEach(result -> metadataBytesByDay.merge(day(result.finishedAt()), bytes(result), Long::sum));
      Optional<RepositoryResult> newest = succeeded.stream().max(Comparator.comparing(RepositoryResult::finishedAt));
      Attempts attempts = attempts(results, key);
      Instant lastAt = newest.map(RepositoryResult::finishedAt).orElse(null);
      metadata.add(new MetadataProtection(scope.getKey(), scope.getValue(), status(lastAt, attempts, dueSince),
          newest.map(RepositoryResult::snapshotId).orElse(null), lastAt, age(lastAt, now), attempts.lastError,
          attempts.lastErrorAt, succeeded.size(), succeeded.stream().mapToLong(ProtectionReports::bytes).sum()));
    }

    List<ProtectionStatus> statuses = new ArrayList<>();
    repositories.forEach(repository -> statuses.add(repository.status()));
    metadata.forEach(scope -> statuses.add(scope.status()));
    Totals totals = new Totals(repositories.size(), metadata.size(), count(statuses, ProtectionStatus.PROTECTED),
        count(statuses, ProtectionStatus.AT_RISK), count(statuses, ProtectionStatus.FAILING),
        count(statuses, ProtectionStatus.NEVER), repositories.stream().mapToLong(RepositoryProtection::packBytes).sum(),
        metadata.stream().mapToLong(MetadataProtection::metadataBytes).sum());
    return new OrganizationReport(organization.id(), organization.url(), dueSince, schedule.nextSlotAfter(now), totals,
        repositories, metadata, history(results, packBytesByDay, metadataBytesByDay));
  }

  /** The newest finished attempt at {@code key} (a repository id or metadata key), and the newest failure. */
  private record Attempts(ResultStatus lastStatus, Instant lastAt, String lastError, Instant lastErrorAt) {}

  private static Attempts attempts(Map<Run, List<RepositoryResult>> results, String key) {
    ResultStatus lastStatus = null;
    Instant lastAt = null;
    String lastError = null;
    Instant lastErrorAt = null;
    // runs newest first: the first finished result is the last attempt, the first failure the last error
    for (var run : results.entrySet()) {
      Optional<RepositoryResult> result = run.getValue().stream()
          .filter(candidate -> candidate.repositoryId().equals(key) && candidate.status().isFinished()).findFirst();
      boolean runFailedBeforeIt = result.isEmpty() && run.getKey().error() != null
          && run.getKey().selection() == null;
      if (result.isEmpty() && !runFailedBeforeIt) {
        continue;
      }
      Instant at = result.map(RepositoryResult::finishedAt).orElse(run.getKey().discoveredAt());
      boolean failed = runFailedBeforeIt || result.get().status() == ResultStatus.FAILED;
      if (lastStatus == null) {
        lastStatus = failed ? ResultStatus.FAILED : ResultStatus.SUCCEEDED;
        lastAt = at;
      }
      if (failed && lastError == null) {
        lastError = runFailedBeforeIt ? run.getKey().error() : result.get().error();
        lastErrorAt = at;
      }
      if (lastStatus != null && lastError != null) {
        break;
      }
    }
    return new Attempts(lastStatus, lastAt, lastError, lastErrorAt);
  }

  private static ProtectionStatus status(Instant lastSnapshotAt, Attempts attempts, Instant dueSince) {
    if (attempts.lastStatus == ResultStatus.FAILED
        && (lastSnapshotAt == null || attempts.lastAt == null || !lastSnapshotAt.isAfter(attempts.lastAt))) {
      return ProtectionStatus.FAILING;
    }
    if (lastSnapshotAt == null) {
      return ProtectionStatus.NEVER;
    }
    return dueSince == null || !lastSnapshotAt.isBefore(dueSince) ? ProtectionStatus.PROTECTED
        : ProtectionStatus.AT_RISK;
  }

  private static History history(Map<Run, List<RepositoryResult>> results, Map<LocalDate, Long> packBytesByDay,
      Map<LocalDate, Long> metadataBytesByDay) {
    List<RunPoint> runs = new ArrayList<>();
    Map<LocalDate, Integer> failuresByDay = new TreeMap<>();
    results.forEach((run, list) -> {
      RunStatus status = RunStatus.of(run, list);
      int failures = (int) list.stream().filter(result -> result.status() == ResultStatus.FAILED).count()
          + (run.error() != null ? 1 : 0);
      Instant finished = list.stream().map(RepositoryResult::finishedAt).filter(at -> at != null)
          .max(Comparator.naturalOrder()).orElse(run.discoveredAt());
      boolean done = status != RunStatus.QUEUED && status != RunStatus.RUNNING;
      runs.add(new RunPoint(run.id(), run.trigger(), status, run.createdAt(),
          done && finished != null ? Duration.between(run.createdAt(), finished) : null,
          list.stream().mapToLong(ProtectionReports::bytes).sum(), failures));
      failuresByDay.merge(day(run.createdAt()), failures, Integer::sum);
    });
    runs.sort(Comparator.comparing(RunPoint::startedAt));
    List<StoragePoint> storage = new ArrayList<>();
    TreeMap<LocalDate, long[]> days = new TreeMap<>();
    packBytesByDay.forEach((day, bytes) -> days.computeIfAbsent(day, d -> new long[2])[0] += bytes);
    metadataBytesByDay.forEach((day, bytes) -> days.computeIfAbsent(day, d -> new long[2])[1] += bytes);
    long pack = 0;
    long meta = 0;
    for (var day : days.entrySet()) {
      pack += day.getValue()[0];
      meta += day.getValue()[1];
      storage.add(new StoragePoint(day.getKey(), pack, meta));
    }
    List<FailurePoint> failures = failuresByDay.entrySet().stream()
        .map(day -> new FailurePoint(day.getKey(), day.getValue())).toList();
    return new History(runs, storage, failures);
  }

  /**
   * The last slot of {@code schedule} at or before {@code time}. Slots are never more than a day
   * apart (a day may be 25 hours long around a daylight-saving change), so one lies in the 26 hours
   * before it.
   */
  static Optional<Instant> lastSlotAtOrBefore(Schedule schedule, Instant time) {
    Instant slot = schedule.nextSlotAfter(time.minus(Duration.ofHours(26)));
    if (slot == null || slot.isAfter(time)) {
      return Optional.empty();
    }
    for (Instant next = schedule.nextSlotAfter(slot); next != null && !next.isAfter(time);
        next = schedule.nextSlotAfter(next)) {
      slot = next;
    }
    return Optional.of(slot);
  }

  private static long bytes(RepositoryResult result) {
    return result.packBytesAdded() == null ? 0 : result.packBytesAdded();
  }

  private static Duration age(Instant at, Instant now) {
    return at == null ? null : Duration.between(at, now);
  }

  private static LocalDate day(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  private static int count(List<ProtectionStatus> statuses, ProtectionStatus status) {
    return (int) statuses.stream().filter(status::equals).count();
  }

  private static Totals sum(List<Totals> totals) {
    return new Totals(totals.stream().mapToInt(Totals::repositories).sum(),
        totals.stream().mapToInt(Totals::metadataScopes).sum(), totals.stream().mapToInt(Totals::protectedCount).sum(),
        totals.stream().mapToInt(Totals::atRisk).sum(), totals.stream().mapToInt(Totals::failing).sum(),
        totals.stream().mapToInt(Totals::never).sum(), totals.stream().mapToLong(Totals::packBytes).sum(),
        totals.stream().mapToLong(Totals::metadataBytes).sum());
  }
}
