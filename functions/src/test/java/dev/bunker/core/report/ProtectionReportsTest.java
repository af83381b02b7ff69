package dev.bunker.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.ProtectionReport;
import dev.bunker.core.model.ProtectionReport.OrganizationReport;
import dev.bunker.core.model.ProtectionReport.RepositoryProtection;
import dev.bunker.core.model.ProtectionStatus;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.Schedule;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.WorkItem;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The protection report over the catalog, with the default schedule: daily at 01:00 UTC. */
class ProtectionReportsTest {
  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
  private final Organization organization =
      world.registerContoso(new PolicyInput(null, null, null, null, null, null, null, false));

  /** Runs a backup now; the repositories in {@code failing} fail on their last attempt. */
  private void backUp(SourceRepository... failing) {
    world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    List<String> failingIds = Arrays.stream(failing).map(SourceRepository::id).toList();
    for (WorkItem.BackupRepository work : world.queue.take(WorkItem.BackupRepository.class)) {
      world.clock.advance(Duration.ofSeconds(30));
      world.bunker.backups().backup(work, failingIds.contains(work.repositoryId()) ? World.MAX_ATTEMPTS : 1);
    }
    world.queue.take(WorkItem.VerifySnapshots.class);
  }

  private Map<String, RepositoryProtection> repositories(OrganizationReport report) {
    return report.repositories().stream().collect(Collectors.toMap(RepositoryProtection::name, Function.identity()));
  }

  @Test
  void aRepositoryNeverBackedUpIsNeverAndOneWhoseBackupFailsIsFailing() {
    assertThat(repositories(world.bunker.reports().of(organization.id()).organizations().get(0)).values())
        .as("listed at registration").extracting(RepositoryProtection::status)
        .containsExactly(ProtectionStatus.NEVER, ProtectionStatus.NEVER);
    world.vault.failBackupsOf(web.remoteUrl(), new IllegalStateException("connection reset"));
    backUp(web);

    OrganizationReport report = world.bunker.reports().of(organization.id()).organizations().get(0);
    RepositoryProtection good = repositories(report).get("api");
    RepositoryProtection broken = repositories(report).get("web");
    assertThat(good.status()).isEqualTo(ProtectionStatus.PROTECTED);
    assertThat(good.snapshotCount()).isEqualTo(1);
    assertThat(good.lastSnapshotAt()).isNotNull();
    assertThat(good.age()).isLessThan(Duration.ofMinutes(5));
    assertThat(broken.status()).isEqualTo(ProtectionStatus.FAILING);
    assertThat(broken.lastError()).contains("connection reset");
    assertThat(report.totals().protectedCount()).isEqualTo(1);
    assertThat(report.totals().failing()).isEqualTo(1);
    assertThat(report.history().runs()).hasSize(1);
    assertThat(report.history().runs().get(0).failures()).isEqualTo(1);
    assertThat(report.history().runs().get(0).duration()).isPositive();
    assertThat(report.history().failures()).extracting(ProtectionReport.FailurePoint::failures).containsExactly(1);

    // the next backup succeeds: protected again, the failure still the last error
    world.vault.heal(web.remoteUrl());
    world.clock.advance(Duration.ofMinutes(10));
    backUp();
    RepositoryProtection healed = repositories(world.bunker.reports().of(organization.id()).organizations().get(0))
        .get("web");
    assertThat(healed.status()).isEqualTo(ProtectionStatus.PROTECTED);
    assertThat(healed.lastError()).contains("connection reset");
  }

  @Test
  void aRepositoryNotBackedUpWithinItsScheduleIsAtRisk() {
    backUp();
    // the next day's 01:00 slot passes (and its grace) without a backup
    world.clock.set(Instant.parse("2026-05-02T03:59:00Z"));
    assertThat(repositories(world.bunker.reports().all().organizations().get(0)).get("api").status())
        .isEqualTo(ProtectionStatus.PROTECTED);
    world.clock.set(Instant.parse("2026-05-02T04:01:00Z"));

    ProtectionReport report = world.bunker.reports().all();
    assertThat(repositories(report.organizations().get(0)).get("api").status()).isEqualTo(ProtectionStatus.AT_RISK);
    assertThat(report.organizations().get(0).dueSince()).isEqualTo(Instant.parse("2026-05-02T01:00:00Z"));
    assertThat(report.totals().atRisk()).isEqualTo(2);
    assertThat(report.organizations().get(0).history().storage()).hasSize(1);
  }

  @Test
  void anUnknownOrganizationIsNotFound() {
    assertThatThrownBy(() -> world.bunker.reports().of("nope")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void theLastSlotIsFoundAcrossADaylightSavingChange() {
    Schedule schedule = new Schedule(List.of(2), null, "Europe/Berlin");
    // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin, the 02:00 slot moves to 03:00 CEST = 01:00 UTC
    assertThat(ProtectionReports.lastSlotAtOrBefore(schedule, Instant.parse("2026-03-29T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(
        ProtectionReports.lastSlotAtOrBefore(new Schedule(null, 6, "UTC"), Instant.parse("2026-05-01T11:59:00Z")))
        .contains(Instant.parse("2026-05-01T06:00:00Z"));
  }
}
