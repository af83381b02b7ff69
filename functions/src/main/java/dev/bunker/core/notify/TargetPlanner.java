package dev.bunker.core.notify;

import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns a request to configure an organization's notification targets into the targets to save and
 * the secrets to store for them: validated field by field, the kept values of existing targets
 * carried over. A generic webhook's signing secret is the admin's own (write-only, never answered):
 * required when the target becomes generic or has none stored, kept when not given anew.
 */
final class TargetPlanner {
  static final int MAX_TARGETS = 10;
  static final int MAX_URL_CHARS = 2048;
  static final int MIN_SIGNING_SECRET_CHARS = 32;
  static final int MAX_SIGNING_SECRET_CHARS = 256;

  private final Notifier notifier;
  private final RandomIds ids;
  private final Clock clock;

  TargetPlanner(Notifier notifier, RandomIds ids, Clock clock) {
    this.notifier = notifier;
    this.ids = ids;
    this.clock = clock;
  }

  /** A target as it will be saved, and the secrets to store for it (none when kept). */
  record Planned(NotificationTarget target, Optional<String> url, Optional<String> signingSecret) {}

  /**
   * Checks every target of {@code input} against the organization's {@code existing} ones, reporting
   * all problems at once; nothing is written here. {@code hasSigningSecret} tells whether an existing
   * target's signing secret is in the secret store.
   */
  List<Planned> plan(String organizationId, NotificationSettingsInput input,
      Map<String, NotificationTarget> existing, Predicate<NotificationTarget> hasSigningSecret) {
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
      if (signingSecret.isPresent()) {
        String secret = signingSecret.get();
        if (kind != NotificationKind.GENERIC) {
          errors.add(new FieldError(field + ".signingSecret", "is for generic webhooks only"));
          continue;
        }
        if (secret.isBlank() || secret.length() < MIN_SIGNING_SECRET_CHARS
            || secret.length() > MAX_SIGNING_SECRET_CHARS) {
          errors.add(new FieldError(field + ".signingSecret", "must be " + MIN_SIGNING_SECRET_CHARS + " to "
              + MAX_SIGNING_SECRET_CHARS + " characters"));
          continue;
        }
      } else if (kind == NotificationKind.GENERIC
          && (before == null || before.kind() != NotificationKind.GENERIC || !hasSigningSecret.test(before))) {
        errors.add(new FieldError(field + ".signingSecret", "is required for a new generic webhook (at least "
            + MIN_SIGNING_SECRET_CHARS + " characters, the key its messages are signed with)"));
        continue;
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
      plan.add(new Planned(target, Optional.ofNullable(given.url()), signingSecret));
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
