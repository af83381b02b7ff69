package dev.bunker.app;

import dev.bunker.ado.client.AllowList;
import dev.bunker.core.audit.AuditTrail;
import dev.bunker.store.GitStore;
import dev.bunker.webhook.WebhookHosts;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The settings whose values are more than a name or a connection string, read and checked: a wrong
 * value stops the wiring with a message naming the setting; called by {@code App}.
 */
final class AppSettings {
  /** Set by App Service to the app's default host name: where notifications link to. */
  static final String APP_SERVICE_HOST_NAME = "WEBSITE_HOSTNAME";

  private AppSettings() {}

  /** Azure DevOps Services plus the prefixes of {@link Setting#ALLOWED_ORGANIZATION_URLS}. */
  static AllowList allowList(Map<String, String> settings) {
    try {
      return AllowList.parse(Setting.ALLOWED_ORGANIZATION_URLS.from(settings).orElse(null));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(Setting.ALLOWED_ORGANIZATION_URLS.key() + ": " + e.getMessage()
          + " (give comma-separated http(s) URL prefixes)", e);
    }
  }

  /** {@link Setting#AUDIT_RETENTION_DAYS}: a whole number of days, at least a year. */
  static int auditRetentionDays(Map<String, String> settings) {
    return wholeNumber(settings, Setting.AUDIT_RETENTION_DAYS, AuditTrail.DEFAULT_RETENTION_DAYS,
        days -> days >= AuditTrail.MIN_RETENTION_DAYS, "a whole number of days, at least "
            + AuditTrail.MIN_RETENTION_DAYS + " (audit entries are kept a year or longer)");
  }

  /** Longest {@link Setting#GIT_TRANSFER_TIMEOUT_MINUTES}: a silent remote fails well inside the 30 min function timeout. */
  static final int MAX_TRANSFER_TIMEOUT_MINUTES = 25;

  /**
   * {@link Setting#GIT_TRANSFER_TIMEOUT_MINUTES}: whole minutes, 1 to {@link
   * #MAX_TRANSFER_TIMEOUT_MINUTES}; the store's default when unset.
   */
  static Duration gitTransferTimeout(Map<String, String> settings) {
    return Duration.ofMinutes(wholeNumber(settings, Setting.GIT_TRANSFER_TIMEOUT_MINUTES,
        (int) GitStore.Options.defaults().transferTimeout().toMinutes(),
        minutes -> minutes >= 1 && minutes <= MAX_TRANSFER_TIMEOUT_MINUTES,
        "a whole number of minutes from 1 to " + MAX_TRANSFER_TIMEOUT_MINUTES + " (the function timeout is 30)"));
  }

  /**
   * {@code setting} as a whole number: {@code fallback} when unset, its value when {@code valid};
   * else the wiring stops with a message saying what it {@code mustBe}.
   */
  private static int wholeNumber(Map<String, String> settings, Setting setting, int fallback, IntPredicate valid,
      String mustBe) {
    String text = setting.from(settings).map(String::strip).orElse(Integer.toString(fallback));
    try {
      int number = Integer.parseInt(text);
      if (valid.test(number)) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(setting.key() + " must be " + mustBe + ", not " + text);
  }

  /** The hosts of {@link Setting#ALLOWED_WEBHOOK_HOSTS} ({@link WebhookHosts#DEFAULTS} when unset). */
  static WebhookHosts webhookHosts(Map<String, String> settings) {
    try {
      return WebhookHosts.parse(Setting.ALLOWED_WEBHOOK_HOSTS.from(settings).orElse(WebhookHosts.DEFAULTS),
          AdminAccess.runsInAzure(settings));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(Setting.ALLOWED_WEBHOOK_HOSTS.key() + ": " + e.getMessage(), e);
    }
  }

  /** The console at the App Service host name, when there is one. */
  static Optional<URI> console(Map<String, String> settings) {
    return Optional.ofNullable(settings.get(APP_SERVICE_HOST_NAME)).filter(host -> !host.isBlank())
        .map(host -> URI.create("https://" + host + "/api/console"));
  }
}
