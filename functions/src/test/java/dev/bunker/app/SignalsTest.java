package dev.bunker.app;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RegisterOrganization;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.SnapshotIds;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.testing.LogCapture;
import dev.bunker.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each alert signal is emitted once, when its event happens, as docs/deploy.md documents it: a
 * WARNING line on {@value Signal#LOGGER}, {@code <name> key=value…: detail}, with the ids the
 * document's table lists for it. A run that backs everything up signals nothing.
 */
class SignalsTest {
  private static final Path DEPLOY = Path.of("..", "docs", "deploy.md");
  private static final Pattern ROW = Pattern.compile("^\\| `(Bunker\\w+)` \\|.*\\| ([^|]*) \\|$");
  private static final Pattern LINE = Pattern.compile("^(Bunker\\w+)((?: \\w+=\\S+)*): (.+)$");

  private final World world = new World("2026-01-15T00:30:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
  private final LogCapture logs = LogCapture.start();

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  @Test
  void aSuccessfulRunSignalsNothing() {
    Organization organization = world.registerContoso(aPolicy().everyHours(1).build());
    scheduledRunAt("2026-01-15T01:00:00Z");
    scheduledRunAt("2026-01-15T02:00:00Z");

    assertThat(world.bunker.runs().newest(organization.id(), 2)).extracting(RunReport::status)
        .containsExactly(RunStatus.SUCCEEDED, RunStatus.SUCCEEDED);
    assertThat(signals()).isEmpty();
  }

  @Test
  void aManualRunWhoseDiscoveryCannotBeQueuedSignalsRunFailed() {
    AtomicBoolean queueDown = new AtomicBoolean();
    World down = new World("2026-01-15T00:30:00Z", InMemoryCatalog.create(), queue -> item -> {
      if (queueDown.get() && item instanceof WorkItem.Discover) {
        throw new UnavailableException("the queue did not answer");
      }
      queue.enqueue(item);
    });
    down.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    Organization organization = down.registerContoso(null);
    queueDown.set(true);

    assertThatThrownBy(() -> down.bunker.runs().startNow(organization.id(), null))
        .isInstanceOf(UnavailableException.class);

    String runId = down.bunker.runs().newest(organization.id(), 1).get(0).id();
    assertThat(signals()).containsExactly(signal(Signal.RUN_FAILED,
        Map.of("organizationId", organization.id(), "runId", runId)));
  }

  @Test
  void aRunThatBacksUpNothingSignalsRunFailed() {
    Organization organization = world.registerContoso(null);
    failBackupsOf(api, web);

    RunReport run = runNow(organization);

    assertThat(signals()).containsExactly(signal(Signal.RUN_FAILED,
        Map.of("organizationId", organization.id(), "runId", run.id())));
  }

  @Test
  void aRunWithSomeRepositoriesNotBackedUpSignalsRunPartiallyFailed() {
    Organization organization = world.registerContoso(null);
    failBackupsOf(api);

    RunReport run = runNow(organization);

    assertThat(signals()).containsExactly(signal(Signal.RUN_PARTIALLY_FAILED,
        Map.of("organizationId", organization.id(), "runId", run.id())));
  }

  @Test
  void aSlotComingWhileThePreviousScheduledRunMissedARepositorySignalsRpoMissed() {
    Organization organization = world.registerContoso(aPolicy().everyHours(1).build());
    failBackupsOf(api);
    scheduledRunAt("2026-01-15T01:00:00Z");
    String missed = world.bunker.runs().newest(organization.id(), 1).get(0).id();

    world.clock.set(Instant.parse("2026-01-15T02:00:00Z"));
    world.bunker.scheduler().tick();

    assertThat(signals()).containsExactly(
        signal(Signal.RUN_PARTIALLY_FAILED, Map.of("organizationId", organization.id(), "runId", missed)), // as it ended
        signal(Signal.RPO_MISSED, Map.of("organizationId", organization.id(), "runId", missed,
            "repositoryId", api.id())));
  }

  @Test
  void aCredentialAzureDevOpsRefusesSignalsCredentialRejectedAndTheFailedRun() {
    Organization organization = world.registerContoso(null);
    world.source.organization(World.CONTOSO, "a-token-the-pat-is-not"); // the PAT was revoked

    RunReport run = runNow(organization);

    Map<String, String> ids = Map.of("organizationId", organization.id(), "runId", run.id());
    assertThat(signals()).containsExactly(signal(Signal.CREDENTIAL_REJECTED, ids), signal(Signal.RUN_FAILED, ids));
  }

  @Test
  void aRevokedOAuthGrantSignalsConsentLostOnce() {
    String fabrikam = "https://dev.azure.com/fabrikam";
    Credential grant = world.bunker.credentials().storeOAuthGrant("Fabrikam sign-in", Secret.of("refresh-1"));
    world.source.organization(fabrikam, "access-for-refresh-1");
    Organization organization = world.bunker.organizations()
        .register(new RegisterOrganization(fabrikam, grant.id(), null, null, null));
    world.secrets.delete(grant.secretName()); // World's token endpoint refuses a grant it no longer has

    for (int use = 0; use < 2; use++) {
      assertThatThrownBy(() -> world.bunker.credentials().unlock(grant.id())).isInstanceOf(SourceException.class);
    }

    assertThat(signals()).containsExactly(signal(Signal.CONSENT_LOST, Map.of("organizationId", organization.id())));
  }

  @Test
  void aVerificationFindingDamageSignalsDamageFound() {
    Organization organization = world.registerContoso(null);
    RunReport run = runNow(organization);
    RepositoryKey key = new RepositoryKey(organization.id(), api.id());
    world.vault.damage(key, "orgs/o/repos/r/packs/pack-20260115T003000-0123456789abcdef.pack");
    world.clock.advance(Duration.ofDays(7));

    world.bunker.verifications().scheduleAll();
    world.drainQueues();

    assertThat(signals()).containsExactly(signal(Signal.DAMAGE_FOUND, Map.of("organizationId", organization.id(),
        "repositoryId", api.id(), "snapshotId", SnapshotIds.forRun(run.id()))));
  }

  @Test
  void aHealthCheckFindingAPartNotAnsweringSignalsAppUnhealthy() {
    App app = new App(null, Optional.empty(), List.of(
        new Health.Probe("queues", () -> {}),
        new Health.Probe("backupStorage", () -> {
          throw new IllegalStateException("storage did not answer");
        })), ManualClock.at("2026-01-15T00:30:00Z"));

    assertThat(app.check().healthy()).isFalse();
    app.check(); // within a minute: the answer of the first check, no second signal

    assertThat(signals()).containsExactly(signal(Signal.APP_UNHEALTHY, Map.of()));
    assertThat(logs.messages(Signal.LOGGER, Level.WARNING)).singleElement().asString()
        .contains("backupStorage", "storage did not answer").doesNotContain("queues");
  }

  private RunReport runNow(Organization organization) {
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  private void scheduledRunAt(String slot) {
    world.clock.set(Instant.parse(slot));
    assertThat(world.bunker.scheduler().tick()).isEqualTo(1);
    world.drainQueues();
  }

  private void failBackupsOf(SourceRepository... repositories) {
    Arrays.stream(repositories).forEach(repository -> world.vault.failBackupsOf(repository.remoteUrl(),
        new SourceException(SourceException.Reason.ACCESS_DENIED, "access denied")));
  }

  /** A signal as the test expects it: its documented name and ids, checked against docs/deploy.md. */
  private static String signal(Signal signal, Map<String, String> ids) {
    assertThat(ids.keySet()).as("the ids docs/deploy.md lists for " + signal.eventName())
        .isEqualTo(documentedIds().get(signal.eventName()));
    return signal.eventName() + new TreeMap<>(ids);
  }

  /** Each signal line logged so far, as its name and ids; fails on a line not in the documented shape. */
  private List<String> signals() {
    return logs.messages(Signal.LOGGER, Level.WARNING).stream().map(message -> {
      Matcher line = LINE.matcher(message);
      assertThat(line.matches()).as("a signal line: " + message).isTrue();
      Map<String, String> ids = Arrays.stream(line.group(2).trim().split(" ")).filter(id -> !id.isEmpty())
          .map(id -> id.split("=", 2)).collect(Collectors.toMap(id -> id[0], id -> id[1], (a, b) -> b,
              TreeMap::new));
      return line.group(1) + ids;
    }).toList();
  }

  /** The signals table of docs/deploy.md: name to the ids it lists ("none": no ids). */
  private static Map<String, Set<String>> documentedIds() {
    try {
      Map<String, Set<String>> documented = new LinkedHashMap<>();
      for (String row : Files.readAllLines(DEPLOY)) {
        Matcher matcher = ROW.matcher(row);
        if (matcher.matches()) {
          String ids = matcher.group(2).strip();
          documented.put(matcher.group(1), ids.equals("none") ? Set.of()
              : Arrays.stream(ids.split(",")).map(String::strip).collect(Collectors.toSet()));
        }
      }
      return documented;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
