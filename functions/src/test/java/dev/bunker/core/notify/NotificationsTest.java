package dev.bunker.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.World;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.SecretNames;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.WorkItem;
import dev.bunker.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotificationsTest {
  private static final String TEAMS_URL = "https://hooks.example.com/webhookb2/teams-secret-path-0123456789";
  private static final String GENERIC_URL = "https://hooks.example.com/bunker/generic-secret-path-9876543210";
  private static final String SIGNING_SECRET = "signing-key-of-the-admin-0123456789abcdef";

  private final World world = new World("2026-05-01T10:00:00Z");
  private final SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
  private final SourceRepository web = world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
  private final Organization organization = world.registerContoso(null);
  private final Notifications notifications = world.bunker.notifications();

  /** A new target; a generic one with the admin's signing secret. */
  private static NotificationTargetInput target(NotificationKind kind, String url) {
    return new NotificationTargetInput(null, kind, url, null, null, null,
        kind == NotificationKind.GENERIC ? SIGNING_SECRET : null);
  }

  private NotificationSettings configure(NotificationTargetInput... targets) {
    return notifications.configure(organization.id(), new NotificationSettingsInput(List.of(targets)));
  }

  private RunReport runNow() {
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();
    return world.bunker.runs().get(organization.id(), queued.id());
  }

  @Test
  void aPartlyFailedRunIsAnnouncedOnceToFailureTargetsWithTheFailingRepositoriesAndWhy() {
    configure(target(NotificationKind.TEAMS, TEAMS_URL), target(NotificationKind.GENERIC, GENERIC_URL));
    world.vault.failBackupsOf(web.remoteUrl(),
        new SourceException(SourceException.Reason.ACCESS_DENIED, "access denied"));

    RunReport run = runNow();

    assertThat(run.status()).isEqualTo(RunStatus.PARTIALLY_SUCCEEDED);
    List<WorkItem.Notify> queued = world.queue.take(WorkItem.Notify.class);
    assertThat(queued).containsExactly(new WorkItem.Notify(organization.id(), run.id(), null));
    notifications.deliver(queued.get(0), 1);
    assertThat(world.notifier.sent()).hasSize(2).allSatisfy(sent -> {
      Notification notification = sent.notification();
      assertThat(notification.event()).isEqualTo(NotificationEvent.RUN_PARTIALLY_FAILED);
      assertThat(notification.runId()).isEqualTo(run.id());
      assertThat(notification.counts().failed()).isEqualTo(1);
      assertThat(notification.failures()).singleElement().satisfies(failure -> {
        assertThat(failure.project() + "/" + failure.repository()).isEqualTo("Team/web");
        assertThat(failure.reason()).contains("access denied");
      });
      assertThat(notification.link())
          .isEqualTo(World.CONSOLE + "#/organizations/" + organization.id() + "/runs/" + run.id());
    });
    assertThat(world.notifier.sent()).extracting(sent -> sent.webhook().url().reveal())
        .containsExactlyInAnyOrder(TEAMS_URL, GENERIC_URL);
    assertThat(world.notifier.sent()).filteredOn(sent -> sent.webhook().kind() == NotificationKind.GENERIC)
        .singleElement()
        .satisfies(sent -> assertThat(sent.webhook().signingSecret().reveal()).isEqualTo(SIGNING_SECRET));

    notifications.deliver(queued.get(0), 2);
    notifications.runChanged(organization.id(), run.id());
    assertThat(world.notifier.sent()).as("a redelivery and a second end both send nothing more").hasSize(2);
    assertThat(world.queue.take(WorkItem.Notify.class)).isEmpty();
    assertThat(notifications.targets(organization.id()).targets()).allSatisfy(target -> {
      assertThat(target.lastDelivery().status()).isEqualTo(Delivery.Status.DELIVERED);
      assertThat(target.lastDelivery().eventKey()).isEqualTo("run-" + run.id());
    });
  }

  @Test
  void aSucceededRunIsAnnouncedOnlyToTargetsThatAskForSuccess() {
    configure(target(NotificationKind.SLACK, TEAMS_URL),
        new NotificationTargetInput(null, NotificationKind.GENERIC, GENERIC_URL, false, true, null, SIGNING_SECRET));

    RunReport run = runNow();

    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    world.queue.take(WorkItem.Notify.class).forEach(work -> notifications.deliver(work, 1));
    assertThat(world.notifier.sent()).singleElement().satisfies(sent -> {
      assertThat(sent.webhook().kind()).isEqualTo(NotificationKind.GENERIC);
      assertThat(sent.notification().event()).isEqualTo(NotificationEvent.RUN_SUCCEEDED);
    });
  }

  @Test
  void aSucceededRunQueuesNothingWhenNoTargetAsks() {
    configure(target(NotificationKind.TEAMS, TEAMS_URL));
    runNow();
    assertThat(world.queue.all(WorkItem.Notify.class)).isEmpty();
  }

  @Test
  void aFailingWebhookIsRetriedThenRecordedAsFailedAndTheRunKeepsItsResult() {
    configure(target(NotificationKind.TEAMS, TEAMS_URL));
    world.vault.failBackupsOf(api.remoteUrl(), new SourceException(SourceException.Reason.ACCESS_DENIED, "no"));
    world.vault.failBackupsOf(web.remoteUrl(), new SourceException(SourceException.Reason.ACCESS_DENIED, "no"));
    world.notifier.failing("could not reach the webhook (ConnectException)");

    RunReport run = runNow();

    assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    WorkItem.Notify work = world.queue.take(WorkItem.Notify.class).get(0);
    assertThatThrownBy(() -> notifications.deliver(work, 1)).isInstanceOf(RetryLaterException.class);
    Delivery retrying = notifications.targets(organization.id()).targets().get(0).lastDelivery();
    assertThat(retrying.status()).isEqualTo(Delivery.Status.RETRYING);
    assertThat(retrying.attempts()).isEqualTo(1);
    assertThat(retrying.error()).contains("ConnectException");

    world.clock.advance(Duration.ofSeconds(30));
    notifications.deliver(work, World.MAX_ATTEMPTS);

    Delivery failed = notifications.targets(organization.id()).targets().get(0).lastDelivery();
    assertThat(failed.status()).isEqualTo(Delivery.Status.FAILED);
    assertThat(failed.attempts()).isEqualTo(World.MAX_ATTEMPTS);
    assertThat(failed.at()).isEqualTo(world.clock.instant());
    assertThat(world.bunker.runs().get(organization.id(), run.id())).isEqualTo(run);
  }

  @Test
  void theWebhookUrlAndTheAdminsSigningSecretAreKeptInTheSecretStoreOnlyAndNeverAnswered() {
    NotificationSettings answer = configure(target(NotificationKind.GENERIC, GENERIC_URL),
        target(NotificationKind.TEAMS, TEAMS_URL));

    NotificationSettings.Target created = answer.targets().get(0);
    assertThat(created.url()).isEqualTo("https://hooks.example.com/…");
    assertThat(created.host()).isEqualTo("hooks.example.com");
    assertThat(created.onFailure()).isTrue();
    assertThat(created.onSuccess()).isFalse();
    assertThat(created.signingSecretSet()).isTrue();
    assertThat(answer.targets().get(1).signingSecretSet()).as("Teams messages are not signed").isNull();
    assertThat(answer.toString()).doesNotContain(GENERIC_URL).doesNotContain(SIGNING_SECRET);
    assertThat(world.secrets.all()).containsEntry(SecretNames.WEBHOOK_PREFIX + created.id(), GENERIC_URL)
        .containsEntry(SecretNames.WEBHOOK_PREFIX + "signing-" + created.id(), SIGNING_SECRET);
    assertThat(world.notificationRecords.all().toString()).doesNotContain(GENERIC_URL).doesNotContain("secret-path")
        .doesNotContain(SIGNING_SECRET);
    NotificationSettings read = notifications.targets(organization.id());
    assertThat(read).isEqualTo(answer);

    NotificationSettings kept = configure(
        new NotificationTargetInput(created.id(), null, null, true, true, null, null));
    assertThat(kept.targets()).singleElement().satisfies(target -> {
      assertThat(target.onSuccess()).isTrue();
      assertThat(target.signingSecretSet()).as("kept without being given again").isTrue();
    });
    assertThat(world.secrets.all()).containsEntry(SecretNames.WEBHOOK_PREFIX + created.id(), GENERIC_URL)
        .containsEntry(SecretNames.WEBHOOK_PREFIX + "signing-" + created.id(), SIGNING_SECRET);

    String rotated = "rotated-signing-key-0123456789abcdefghij";
    configure(new NotificationTargetInput(created.id(), null, null, null, null, null, rotated));
    assertThat(world.secrets.all()).containsEntry(SecretNames.WEBHOOK_PREFIX + "signing-" + created.id(), rotated);

    configure();
    assertThat(notifications.targets(organization.id()).targets()).isEmpty();
    assertThat(world.secrets.all().keySet()).noneMatch(name -> name.startsWith(SecretNames.WEBHOOK_PREFIX));
  }

  @Test
  void aTargetTurnedGenericNeedsASigningSecretOfItsOwn() {
    String id = configure(target(NotificationKind.TEAMS, TEAMS_URL)).targets().get(0).id();
    NotificationSettings before = notifications.targets(organization.id());
    Map<String, String> secretsBefore = world.secrets.all();

    assertThatThrownBy(() -> configure(new NotificationTargetInput(id, NotificationKind.GENERIC, GENERIC_URL,
        null, null, null, null))).isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("targets[0].signingSecret");

    assertThat(notifications.targets(organization.id())).isEqualTo(before);
    assertThat(world.secrets.all()).isEqualTo(secretsBefore);
    assertThat(configure(new NotificationTargetInput(id, NotificationKind.GENERIC, GENERIC_URL, null, null, null,
        SIGNING_SECRET)).targets().get(0).signingSecretSet()).isTrue();
  }

  @Test
  void noWebhookUrlNorSigningSecretReachesTheLogsWhateverHappens() {
    try (LogCapture logs = LogCapture.start()) {
      configure(target(NotificationKind.TEAMS, TEAMS_URL),
          target(NotificationKind.GENERIC, GENERIC_URL));
      world.vault.failBackupsOf(web.remoteUrl(), new SourceException(SourceException.Reason.ACCESS_DENIED, "no"));
      runNow();
      world.notifier.failing("could not reach the webhook (ConnectException)");
      WorkItem.Notify work = world.queue.take(WorkItem.Notify.class).get(0);
      assertThatThrownBy(() -> notifications.deliver(work, 1)).isInstanceOf(RetryLaterException.class);
      world.notifier.failing(null);
      notifications.deliver(work, 2);
      notifications.sendTest(organization.id());

      assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains("secret-path"))
          .noneMatch(line -> line.contains(SIGNING_SECRET));
    }
  }

  @Test
  void badTargetsAreRefusedAndChangeNothing() {
    configure(target(NotificationKind.TEAMS, TEAMS_URL));
    NotificationSettings before = notifications.targets(organization.id());
    Map<String, String> secretsBefore = world.secrets.all();

    for (NotificationTargetInput bad : List.of(
        target(NotificationKind.TEAMS, "https://evil.example.net/hook"),
        target(NotificationKind.SLACK, "http://hooks.example.com/services/x"),
        target(NotificationKind.SLACK, "https://user:pw@hooks.example.com/services/x"),
        target(NotificationKind.SLACK, "not a url"),
        target(NotificationKind.GENERIC, null),
        target(null, TEAMS_URL),
        new NotificationTargetInput("no-such-target", NotificationKind.TEAMS, null, null, null, null, null),
        new NotificationTargetInput(null, NotificationKind.TEAMS, TEAMS_URL, null, null, null, "0123456789abcdef0123"),
        new NotificationTargetInput(null, NotificationKind.GENERIC, GENERIC_URL, null, null, null, "short"),
        new NotificationTargetInput(null, NotificationKind.GENERIC, GENERIC_URL, null, null, null,
            "31-characters-is-one-too-few-xx"),
        new NotificationTargetInput(null, NotificationKind.GENERIC, GENERIC_URL, null, null, null, null))) {
      assertThatThrownBy(() -> configure(target(NotificationKind.SLACK, GENERIC_URL), bad))
          .as("%s", bad).isInstanceOf(ValidationException.class)
          .hasMessageStartingWith("targets[1]")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-path").doesNotContain("pw@"));
    }

    assertThat(notifications.targets(organization.id())).isEqualTo(before);
    assertThat(world.secrets.all()).isEqualTo(secretsBefore);
  }

  @Test
  void aTestNotificationGoesToEveryTargetAndRecordsTheOutcome() {
    configure(target(NotificationKind.TEAMS, TEAMS_URL),
        new NotificationTargetInput(null, NotificationKind.SLACK, GENERIC_URL, false, false, false, null));

    NotificationSettings answer = notifications.sendTest(organization.id());

    assertThat(world.notifier.sent()).hasSize(2)
        .allSatisfy(sent -> assertThat(sent.notification().event()).isEqualTo(NotificationEvent.TEST));
    assertThat(answer.targets())
        .allSatisfy(target -> assertThat(target.lastDelivery().status()).isEqualTo(Delivery.Status.DELIVERED));
  }

  @Test
  void theDailySummaryIsQueuedOnceADayWithTheDaysRunsAndFailures() {
    configure(new NotificationTargetInput(null, NotificationKind.SLACK, TEAMS_URL, false, false, true, null));
    runNow();
    world.vault.failBackupsOf(web.remoteUrl(), new SourceException(SourceException.Reason.ACCESS_DENIED, "gone"));
    world.clock.advance(Duration.ofHours(1));
    runNow();
    world.clock.advance(Duration.ofHours(20));

    assertThat(notifications.queueDailySummaries()).isEqualTo(1);
    assertThat(notifications.queueDailySummaries()).as("once a day").isZero();
    world.queue.take(WorkItem.Notify.class).forEach(work -> notifications.deliver(work, 1));

    assertThat(world.notifier.sent()).singleElement().satisfies(sent -> {
      Notification summary = sent.notification();
      assertThat(summary.event()).isEqualTo(NotificationEvent.DAILY_SUMMARY);
      assertThat(summary.runs()).isEqualTo(new Notification.RunTotals(2, 1, 1, 0, 0));
      assertThat(summary.failures()).singleElement()
          .satisfies(failure -> assertThat(failure.repository()).isEqualTo("web"));
    });
  }
}
