package dev.bunker.app;

import dev.bunker.ado.client.AllowList;
import dev.bunker.core.audit.AuditTrail;
import dev.bunker.store.GitStore;
import dev.bunker.webhook.WebhookHosts;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
    String text = Setting.AUDIT_RETENTION_DAYS.from(settings).map(String::strip)
        .orElse(Integer.toString(AuditTrail.DEFAULT_RETENTION_DAYS));
    try {
      int days = Integer.parseInt(text);
      if (days >= AuditTrail.MIN_RETENTION_DAYS) {
        return days;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(Setting.AUDIT_RETENTION_DAYS.key() + " must be a whole number of days, at least "
        + AuditTrail.MIN_RETENTION_DAYS + " (audit entries are kept a year or longer), not " + text);
  }

  /** Longest {@link Setting#GIT_TRANSFER_TIMEOUT_MINUTES}: a silent remote fails well inside the 30 min function timeout. */
  static final int MAX_TRANSFER_TIMEOUT_MINUTES = 25;

  /**
   * {@link Setting#GIT_TRANSFER_TIMEOUT_MINUTES}: whole minutes, 1 to {@link
   * #MAX_TRANSFER_TIMEOUT_MINUTES}; the store's default when unset.
   */
  static Duration gitTransferTimeout(Map<String, String> settings) {
    Optional<String> text = Setting.GIT_TRANSFER_TIMEOUT_MINUTES.from(settings).map(String::strip)
        .filter(value -> !value.isEmpty());
    if (text.isEmpty()) {
      return GitStore.Options.defaults().transferTimeout();
    }
    try {
      int minutes = Integer.parseInt(text.get());
      if (minutes >= 1 && minutes <= MAX_TRANSFER_TIMEOUT_MINUTES) {
        return Duration.ofMinutes(minutes);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalStateException(Setting.GIT_TRANSFER_TIMEOUT_MINUTES.key() + " must be a whole number of minutes"
        + " from 1 to " + MAX_TRANSFER_TIMEOUT_MINUTES + " (the function timeout is 30), not " + text.get());
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
