package dev.bunker.core.notify;

import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.Organization;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.organization.Organizations;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.Run;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Secret;
import dev.bunker.core.port.SecretStore;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.WorkQueue;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
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
 * announced, and announcing never throws.
 */
public final class Notifications {
  static final int MAX_TARGETS = 10;
  static final int MAX_URL_CHARS = 2048;
  static final int MIN_SIGNING_SECRET_CHARS = 16;
  static final int MAX_SIGNING_SECRET_CHARS = 256;
  /** A message lists at most this many failures (Teams and Slack limit message sizes). */
  static final int MAX_FAILURES_LISTED = 20;
  static final int MAX_REASON_CHARS = 300;
  /** The runs a daily summary covers: the day before it. */
  static final Duration SUMMARY_WINDOW = Duration.ofDays(1);
  private static final int SUMMARY_MAX_RUNS = 100;
  private static final Logger LOG = Logger.getLogger(Notifications.class.getName());

  private final Organizations organizations;
  private final OrganizationRecords organizationRecords;
  private final RunRecords runs;
  private final NotificationRecords records;
  private final Notifier notifier;
  private final Optional<URI> console;
  private final SecretStore secrets;
  private final WorkQueue queue;
  private final Clock clock;
  private final RandomIds ids;
  private final int maxAttempts;

  public Notifications(Organizations organizations, OrganizationRecords organizationRecords, RunRecords runs,
      NotificationPorts ports, SecretStore secrets, WorkQueue queue, Clock clock, RandomIds ids, int maxAttempts) {
    this.organizations = organizations;
    this.organizationRecords = organizationRecords;
    this.runs = runs;
    this.records = ports.records();
    this.notifier = ports.notifier();
    this.console = ports.console();
    this.secrets = secrets;
    this.queue = queue;
    this.clock = clock;
    this.ids = ids;
    this.maxAttempts = maxAttempts;
  }

  /** The organization's targets, without their URLs. */
  public NotificationSettings targets(String organizationId) {
    organizations.get(organizationId);
    return new NotificationSettings(records.targets(organizationId).stream()
        .map(target -> NotificationSettings.Target.of(target, null)).toList());
  }

  /**
   * Replaces the organization's targets with {@code input}'s. Everything is checked before anything
   * is written, so a refused request changes nothing. Secrets of removed targets (and replaced URLs)
   * are deleted.
   */
  public NotificationSettings configure(String organizationId, NotificationSettingsInput input) {
    organizations.get(organizationId);
    Map<String, NotificationTarget> existing = new LinkedHashMap<>();
    records.targets(organizationId).forEach(target -> existing.put(target.id(), target));
    List<Planned> plan = plan(organizationId, input, existing);
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
      answer.add(NotificationSettings.Target.of(target, planned.generated() ? planned.signingSecret().orElseThrow() : null));
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
    Organization organization = organizations.get(organizationId);
    Instant now = clock.instant();
    Notification test = new Notification("test-" + now.toEpochMilli(), NotificationEvent.TEST, organization.id(),
        organization.url(), null, null, null, null, List.of(), link(organization.id(), null), now);
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
      if (run.isEmpty()) {
        return;
      }
      Optional<NotificationEvent> event = NotificationEvent.ofRun(RunStatus.of(run.get(), runs.results(runId)));
      if (event.isEmpty() || records.targets(organizationId).stream().noneMatch(target -> target.wants(event.get()))) {
        return;
      }
      if (records.claimEvent(organizationId, runKey(runId))) {
        queue.enqueue(new WorkItem.Notify(organizationId, runId, null));
        LOG.info(() -> "run " + runId + " of organization " + organizationId + " ended: notification queued");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "run " + runId + " of organization " + organizationId
          + ": its notification could not be queued: " + e.getMessage());
    }
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
        ? runNotification(organization.get(), work.runId())
        : Optional.of(summary(organization.get(), work.summaryAt()));
    if (notification.isEmpty()) {
      return;
    }
    boolean retry = false;
    for (NotificationTarget target : records.targets(work.organizationId())) {
      boolean due = target.wants(notification.get().event())
          && (target.lastDelivery() == null || !target.lastDelivery().delivered(notification.get().id()));
      if (due) {
        retry |= send(target, notification.get(), (int) attempt, attempt < maxAttempts).status()
            == Delivery.Status.RETRYING;
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
          + target.kind().name().toLowerCase(Locale.ROOT) + ", " + target.host() + "): " + notification.id() + " delivered");
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

  private Optional<Notification> runNotification(Organization organization, String runId) {
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

  private Notification summary(Organization organization, Instant at) {
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

  private static String runKey(String runId) {
    return "run-" + runId;
  }

  private static String summaryKey(Instant at) {
    return "summary-" + at.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** A target as it will be saved, and the secrets to store for it (none when kept). */
  private record Planned(NotificationTarget target, Optional<String> url, Optional<String> signingSecret,
      boolean generated) {}

  private List<Planned> plan(String organizationId, NotificationSettingsInput input,
      Map<String, NotificationTarget> existing) {
    if (input == null || input.targets() == null) {
      throw ValidationException.of("targets", "is required (a list, empty to remove every target)");
    }
    if (input.targets().size() > MAX_TARGETS) {
      throw ValidationException.of("targets", "at most " + MAX_TARGETS + " targets");
    }
    List<FieldError> errors = new ArrayList<>();
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < input.targets().size(); i++) {
      String field = "targets[" + i + "]";
      NotificationTargetInput given = input.targets().get(i);
      if (given == null) {
        errors.add(new FieldError(field, "is required (an object)"));
        continue;
      }
      NotificationTarget before = given.id() == null ? null : existing.get(given.id());
      if (given.id() != null && before == null) {
        errors.add(new FieldError(field + ".id", "is not a target of this organization"));
        continue;
      }
      NotificationKind kind = given.kind() != null ? given.kind() : before == null ? null : before.kind();
      if (kind == null) {
        errors.add(new FieldError(field + ".kind", "is required: teams, slack or generic"));
        continue;
      }
      URI url = null;
      if (given.url() != null) {
        Optional<String> problem = urlProblem(given.url());
        if (problem.isPresent()) {
          errors.add(new FieldError(field + ".url", problem.get()));
          continue;
        }
        url = URI.create(given.url());
      } else if (before == null) {
        errors.add(new FieldError(field + ".url", "is required for a new target"));
        continue;
      } else if (before.kind() != kind) {
        errors.add(new FieldError(field + ".url", "is required when the kind changes"));
        continue;
      }
      Optional<String> signingSecret = Optional.ofNullable(given.signingSecret());
      boolean generated = false;
      if (signingSecret.isPresent()) {
        String secret = signingSecret.get();
        if (kind != NotificationKind.GENERIC) {
          errors.add(new FieldError(field + ".signingSecret", "is for generic webhooks only"));
          continue;
        }
        if (secret.isBlank() || secret.length() < MIN_SIGNING_SECRET_CHARS || secret.length() > MAX_SIGNING_SECRET_CHARS) {
          errors.add(new FieldError(field + ".signingSecret", "must be " + MIN_SIGNING_SECRET_CHARS + " to "
              + MAX_SIGNING_SECRET_CHARS + " characters"));
          continue;
        }
      } else if (kind == NotificationKind.GENERIC && (before == null || before.kind() != NotificationKind.GENERIC)) {
        signingSecret = Optional.of(ids.hex(64));
        generated = true;
      }
      String id = before != null ? before.id() : ids.hex(16);
      String host = url != null ? url.getHost().toLowerCase(Locale.ROOT) : before.host();
      String masked = url != null ? masked(url) : before.maskedUrl();
      NotificationTarget target = new NotificationTarget(organizationId, id, kind, host, masked,
          flag(given.onFailure(), before == null ? true : before.onFailure()),
          flag(given.onSuccess(), before != null && before.onSuccess()),
          flag(given.dailySummary(), before != null && before.dailySummary()),
          before != null ? before.createdAt() : clock.instant(),
          url != null ? null : before.lastDelivery());
      plan.add(new Planned(target, Optional.ofNullable(given.url()), signingSecret, generated));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return plan;
  }

  private static boolean flag(Boolean given, boolean fallback) {
    return given != null ? given : fallback;
  }

  /** What is wrong with {@code text} as a webhook URL; the URL itself is never quoted (it is a secret). */
  private Optional<String> urlProblem(String text) {
    if (text.isBlank() || text.length() > MAX_URL_CHARS) {
      return Optional.of("must be a URL of at most " + MAX_URL_CHARS + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL");
    }
    if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of("must be an absolute https URL with a host, without user name or fragment");
    }
    return notifier.refusal(uri);
  }

  /** Scheme, host and port: all a URL shows of a webhook without its secret path. */
  private static String masked(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT)
        + (url.getPort() == -1 ? "" : ":" + url.getPort()) + "/…";
  }
}
