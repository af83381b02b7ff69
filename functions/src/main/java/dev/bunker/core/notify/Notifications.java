package dev.bunker.core.notify;

import static dev.bunker.core.notify.NotificationComposer.runKey;
import static dev.bunker.core.notify.NotificationComposer.summaryKey;

import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Secret;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.notify.TargetPlanner.Planned;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.port.SecretStore;
import dev.bunker.core.port.WorkQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notifications of an organization's runs to Teams, Slack and generic webhooks: configuring the
 * targets (their URLs and signing secrets kept in the secret store), announcing a run's end once
 * (a claimed event, then a {@code notify} queue message), the daily summary, and delivery. A
 * delivery that fails is recorded on its target and retried through the queue until the last
 * attempt; nothing here ever fails or delays a backup: a run's result is saved before its end is
 * announced, and announcing never throws. Checking requested targets is {@link TargetPlanner}'s
 * job, what a message says {@link NotificationComposer}'s.
 */
public final class Notifications {
  private static final Logger LOG = Logger.getLogger(Notifications.class.getName());

  private final Organizations organizations;
  private final OrganizationRecords organizationRecords;
  private final RunRecords runs;
  private final NotificationRecords records;
  private final Notifier notifier;
  private final SecretStore secrets;
  private final WorkQueue queue;
  private final Clock clock;
  private final int maxAttempts;
  private final TargetPlanner planner;
  private final NotificationComposer composer;

  public Notifications(Organizations organizations, OrganizationRecords organizationRecords, RunRecords runs,
      NotificationPorts ports, SecretStore secrets, WorkQueue queue, Clock clock, RandomIds ids, int maxAttempts) {
    this.organizations = organizations;
    this.organizationRecords = organizationRecords;
    this.runs = runs;
    this.records = ports.records();
    this.notifier = ports.notifier();
    this.secrets = secrets;
    this.queue = queue;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
    this.planner = new TargetPlanner(ports.notifier(), ids, clock);
    this.composer = new NotificationComposer(runs, ports.console(), clock);
  }

  /** The organization's targets, without their URLs or signing secrets. */
  public NotificationSettings targets(String organizationId) {
    organizations.get(organizationId);
    return new NotificationSettings(records.targets(organizationId).stream().map(this::shown).toList());
  }

  private NotificationSettings.Target shown(NotificationTarget target) {
    return NotificationSettings.Target.of(target, hasSigningSecret(target));
  }

  private boolean hasSigningSecret(NotificationTarget target) {
    return target.kind() == NotificationKind.GENERIC && secrets.get(target.signingSecretName()).isPresent();
  }

  /**
   * Replaces the organization's targets with {@code input}'s. Everything is checked before anything
   * is written, so a refused request changes nothing. A generic target's signing secret is written
   * to the secret store only, never answered. Secrets of removed targets are deleted.
   */
  public NotificationSettings configure(String organizationId, NotificationSettingsInput input) {
    organizations.get(organizationId);
    Map<String, NotificationTarget> existing = new LinkedHashMap<>();
    records.targets(organizationId).forEach(target -> existing.put(target.id(), target));
    List<Planned> plan = planner.plan(organizationId, input, existing, this::hasSigningSecret);
    List<NotificationSettings.Target> answer = new ArrayList<>();
    for (Planned planned : plan) {
      NotificationTarget target = planned.target();
      planned.url().ifPresent(url -> secrets.put(target.urlSecretName(), url));
      if (target.kind() == NotificationKind.GENERIC) {
        planned.signingSecret().ifPresent(secret -> secrets.put(target.signingSecretName(), secret));
      } else {
        secrets.delete(target.signingSecretName());
      }
      records.save(target);
      answer.add(shown(target));
    }
    for (NotificationTarget removed : existing.values()) {
      if (plan.stream().noneMatch(planned -> planned.target().id().equals(removed.id()))) {
        records.delete(organizationId, removed.id());
        secrets.delete(removed.urlSecretName());
        secrets.delete(removed.signingSecretName());
      }
    }
    LOG.info(() -> "organization " + organizationId + ": " + plan.size() + " notification target(s) configured");
    return new NotificationSettings(answer);
  }

  /** Sends a test notification to every target now, once each, and answers the targets with the outcome. */
  public NotificationSettings sendTest(String organizationId) {
    Notification test = composer.test(organizations.get(organizationId));
    for (NotificationTarget target : records.targets(organizationId)) {
      send(target, test, 1, false);
    }
    return targets(organizationId);
  }

  /**
   * Called after a run's result changed: when the run has ended and a target wants to hear of it,
   * claims its announcement and queues it. Never throws (a notification must not fail a backup).
   */
  public void runChanged(String organizationId, String runId) {
    try {
      Optional<Run> run = runs.find(organizationId, runId);
      // reading every result only once the run has ended keeps this cheap for each finished backup
      if (run.isEmpty() || run.get().error() == null && !runs.allFinished(runId)) {
        return;
      }
      runEnded(run.get(), runs.results(runId));
    } catch (RuntimeException e) {
      couldNotQueue(organizationId, runId, e);
    }
  }

  /**
   * As {@link #runChanged(String, String)}, for a run its caller read and found ended (every result
   * finished, or its discovery failed), with its {@code results}. Never throws.
   */
  public void runEnded(Run run, List<RepositoryResult> results) {
    try {
      Optional<NotificationEvent> event = NotificationEvent.ofRun(RunStatus.of(run, results));
      if (event.isEmpty()
          || records.targets(run.organizationId()).stream().noneMatch(target -> target.wants(event.get()))) {
        return;
      }
      if (records.claimEvent(run.organizationId(), runKey(run.id()))) {
        queue.enqueue(new WorkItem.Notify(run.organizationId(), run.id(), null));
        LOG.info(() -> "run " + run.id() + " of organization " + run.organizationId() + " ended: notification queued");
      }
    } catch (RuntimeException e) {
      couldNotQueue(run.organizationId(), run.id(), e);
    }
  }

  private static void couldNotQueue(String organizationId, String runId, RuntimeException e) {
    LOG.log(Level.WARNING, "run " + runId + " of organization " + organizationId
        + ": its notification could not be queued: " + e.getMessage());
  }

  /**
   * Queues the daily summary of every active organization with a target that wants one, once per
   * day (claimed); returns how many were queued.
   */
  public int queueDailySummaries() {
    Instant now = clock.instant();
    int queued = 0;
    for (Versioned<Organization> organization : organizationRecords.list()) {
      String id = organization.value().id();
      if (organization.value().isActive()
          && records.targets(id).stream().anyMatch(target -> target.wants(NotificationEvent.DAILY_SUMMARY))
          && records.claimEvent(id, summaryKey(now))) {
        queue.enqueue(new WorkItem.Notify(id, null, now));
        queued++;
      }
    }
    return queued;
  }

  /**
   * Handles delivery number {@code attempt} of {@code work}: sends it to every target that wants it
   * and does not have it yet. Throws (so that the queue delivers it again) while a target failed and
   * attempts are left; the last attempt records the failure and stops.
   */
  public void deliver(WorkItem.Notify work, long attempt) {
    Optional<Organization> organization = organizationRecords.find(work.organizationId()).map(Versioned::value)
        .filter(Organization::isActive);
    if (organization.isEmpty()) {
      LOG.info(() -> "organization " + work.organizationId() + " is gone: notification dropped");
      return;
    }
    Optional<Notification> notification = work.runId() != null
        ? composer.runNotification(organization.get(), work.runId())
        : Optional.of(composer.summary(organization.get(), work.summaryAt()));
    if (notification.isEmpty()) {
      return;
    }
    boolean retry = false;
    for (NotificationTarget target : records.targets(work.organizationId())) {
      boolean due = target.wants(notification.get().event())
          && (target.lastDelivery() == null || !target.lastDelivery().delivered(notification.get().id()));
      if (due) {
        retry |=
            send(target, notification.get(), (int) attempt, attempt < maxAttempts).status() == Delivery.Status.RETRYING;
      }
    }
    if (retry) {
      throw new RetryLaterException("notification " + notification.get().id() + " of organization "
          + work.organizationId() + " failed for a target; it is sent again later");
    }
  }

  private Delivery send(NotificationTarget target, Notification notification, int attempt, boolean mayRetry) {
    Delivery delivery;
    Secret url = null;
    try {
      url = Secret.of(secrets.get(target.urlSecretName()).orElseThrow(() -> new Notifier.DeliveryException(
          "the webhook URL is missing from the secret store (" + target.urlSecretName() + ")")));
      Secret signing = target.kind() == NotificationKind.GENERIC
          ? Secret.of(secrets.get(target.signingSecretName()).orElseThrow(() -> new Notifier.DeliveryException(
              "the signing secret is missing from the secret store (" + target.signingSecretName() + ")")))
          : null;
      notifier.deliver(new Webhook(target.id(), target.kind(), url, signing), notification);
      delivery = new Delivery(notification.id(), notification.event(), Delivery.Status.DELIVERED, attempt,
          clock.instant(), null);
      LOG.info(() -> "organization " + target.organizationId() + ", notification target " + target.id() + " ("
          + target.kind().name().toLowerCase(Locale.ROOT) + ", " + target.host() + "): " + notification.id()
          + " delivered");
    } catch (Notifier.DeliveryException | RuntimeException e) {
      String reason = url == null ? e.getMessage() : url.redact(e.getMessage());
      delivery = new Delivery(notification.id(), notification.event(),
          mayRetry ? Delivery.Status.RETRYING : Delivery.Status.FAILED, attempt, clock.instant(), reason);
      LOG.warning(() -> "organization " + target.organizationId() + ", notification target " + target.id() + " ("
          + target.kind().name().toLowerCase(Locale.ROOT) + ", " + target.host() + "): " + notification.id()
          + " attempt " + attempt + " failed" + (mayRetry ? ", will retry: " : ": ") + reason);
    }
    records.recordDelivery(target.organizationId(), target.id(), delivery);
    return delivery;
  }
}
