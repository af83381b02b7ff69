package dev.bunker.core.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * What an operator is alerted to. Each signal is one log line on the {@value #LOGGER} logger at
 * WARNING, {@code <name> key=value…: detail}: the Functions host forwards it to Application
 * Insights (table {@code traces}), where the alert rules of infra/modules/alerts.bicep count lines
 * that have the name (one alphanumeric term, so KQL's {@code has} finds it by index). The names
 * are stable: alert rules and operators' queries depend on them (docs/deploy.md lists them).
 */
public enum Signal {
  /** A backup run ended without a single repository or project backed up. */
  RUN_FAILED("BunkerRunFailed"),
  /** A backup run ended with some repositories or projects not backed up. */
  RUN_PARTIALLY_FAILED("BunkerRunPartiallyFailed"),
  /** A scheduled slot came while the previous scheduled run had not backed up everything. */
  RPO_MISSED("BunkerRpoMissed"),
  /** Azure DevOps refused an organization's credential (expired, revoked PAT). */
  CREDENTIAL_REJECTED("BunkerCredentialRejected"),
  /** The OAuth grant of an organization was revoked or expired: it needs a new sign-in. */
  CONSENT_LOST("BunkerConsentLost"),
  /** A verification found objects of a snapshot missing or corrupt. */
  DAMAGE_FOUND("BunkerDamageFound"),
  /** A health check found a part of the app (storage, queues, secret store) not answering. */
  APP_UNHEALTHY("BunkerAppUnhealthy");

  public static final String LOGGER = "bunker.signals";
  private static final Logger LOG = Logger.getLogger(LOGGER);

  private final String eventName;

  Signal(String eventName) {
    this.eventName = eventName;
  }

  /** The name in the log line and in the alert rules. */
  public String eventName() {
    return eventName;
  }

  /** Logs the signal with the ids it concerns (never a secret) and what happened. */
  public void emit(Map<String, String> ids, String detail) {
    String line = eventName + new TreeMap<>(ids).entrySet().stream().map(id -> " " + id.getKey() + "=" + id.getValue())
        .collect(Collectors.joining()) + ": " + detail;
    LOG.log(Level.WARNING, line);
  }
}
