package dev.bunker.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One admin call as the audit trail keeps it: who ({@link Actor}), from where ({@code clientIp}),
 * when, what ({@code action} on {@code targets}: ids only) and how it ended. Never holds a secret:
 * targets are ids taken from the call's path, its created resource and its body's id fields.
 *
 * @param organizationId the organization the call concerns, when it names one (audit queries filter by it)
 * @param status the HTTP status answered
 * @param problem the problem type of a refusal or failure (e.g. {@code conflict}); null when it succeeded
 * @param clientIp the caller's address as App Service saw it; null when unknown (local calls)
 */
public record AuditEntry(
    String id,
    Instant time,
    Actor actor,
    AuditAction action,
    String organizationId,
    Map<String, String> targets,
    Outcome outcome,
    int status,
    String problem,
    String clientIp) {

  /** How the call ended. */
  public enum Outcome {
    /** Answered 2xx or 3xx. */
    SUCCEEDED,
    /** Answered 4xx: the caller was not admitted or the request was refused; nothing changed. */
    REFUSED,
    /** Answered 5xx: Bunker or a part it needs failed. */
    FAILED;

    public static Outcome of(int status) {
      return status >= 500 ? FAILED : status >= 400 ? REFUSED : SUCCEEDED;
    }
  }

  /**
   * Who called: the principal App Service authentication signed in (name and Entra ID object id),
   * {@link #LOCAL} under local development with nobody signed in, {@link #ANONYMOUS} otherwise.
   */
  public record Actor(String name, String objectId) {
    public static final Actor LOCAL = new Actor("local", null);
    public static final Actor ANONYMOUS = new Actor("anonymous", null);

    public Actor {
      Objects.requireNonNull(name, "name");
    }
  }

  public AuditEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    targets = Map.copyOf(targets);
  }

  /**
   * The order of the trail, newest first: the time inverted to a fixed-width number (milliseconds
   * before the end of {@code long}), then the id for entries of the same millisecond. Table row keys
   * and continuation tokens are this key.
   */
  public String sortKey() {
    return sortKeyPrefix(time) + "-" + id;
  }

  /** The first part of {@link #sortKey}: every entry of {@code time}'s millisecond starts with it. */
  public static String sortKeyPrefix(Instant time) {
    return String.format("%019d", Long.MAX_VALUE - time.toEpochMilli());
  }
}
