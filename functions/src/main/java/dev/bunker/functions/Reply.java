package dev.bunker.functions;

import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.ExportStatus;
import java.time.Duration;
import java.util.Map;

/**
 * What a handler answers: a status, an optional JSON body and headers; {@link Http} turns it into a
 * response. {@code auditTargets} are ids the call's audit entry names besides those {@link Http}
 * reads from the request (only a handler knows them, e.g. the organization an OAuth sign-in
 * connected); they are not sent. {@code auditAction} and {@code auditActor}, when not null, are what
 * the entry records instead of the function's action and the caller (only the OAuth callback's
 * handler knows whether it renewed a consent, and who started the sign-in).
 */
public record Reply(int status, Object body, Map<String, String> headers, Map<String, String> auditTargets,
    AuditAction auditAction, AuditEntry.Actor auditActor) {
  public Reply {
    headers = Map.copyOf(headers);
    auditTargets = Map.copyOf(auditTargets);
  }

  public Reply(int status, Object body, Map<String, String> headers) {
    this(status, body, headers, Map.of(), null, null);
  }

  /** This reply, its audit entry recording {@code action} by {@code actor} on {@code targets} too. */
  public Reply auditing(AuditAction action, AuditEntry.Actor actor, Map<String, String> targets) {
    return new Reply(status, body, headers, targets, action, actor);
  }

  /** A body sent as it is, for a page a browser window shows; its headers say its type. */
  public record Html(String text) {}

  /** A page (its headers include its Content-Type). */
  public static Reply page(int status, String html, Map<String, String> headers) {
    return new Reply(status, new Html(html), headers);
  }

  /** A problem answered as the JSON document it is. */
  static Reply problem(Problem problem) {
    return new Reply(problem.status(), problem, Map.of());
  }

  public static Reply ok(Object body) {
    return new Reply(200, body, Map.of());
  }

  public static Reply created(String location, Object body) {
    return new Reply(201, body, Map.of("Location", location));
  }

  public static Reply accepted(String location, Object body) {
    return new Reply(202, body, Map.of("Location", location));
  }

  /** Not done yet: ask {@code location} again after {@code retryAfterSeconds}. */
  public static Reply acceptedRetryAfter(String location, Object body, int retryAfterSeconds) {
    return new Reply(202, body, Map.of("Location", location, "Retry-After", Integer.toString(retryAfterSeconds)));
  }

  /**
   * A download served from an export blob: 303 to its short-lived link once written; 500 with the
   * reason when every attempt failed, Retry-After saying when asking again starts a new one;
   * otherwise 202 asking to come back to {@code self} in a few seconds (a large export takes a while).
   */
  public static Reply export(ExportStatus export, String self) {
    return switch (export.state()) {
      case READY -> seeOther(export.url().toString());
      case FAILED -> new Reply(500, Problem.of(500, "export-failed", "The download could not be written",
          export.reason() + ". Asking again in " + minutes(export.retryAfter()) + " tries again."),
          Map.of("Retry-After", Long.toString(Math.max(1, export.retryAfter().toSeconds()))));
      case MISSING, WRITING -> acceptedRetryAfter(self, Map.of("status", "writing"), 10);
    };
  }

  private static String minutes(Duration wait) {
    long minutes = Math.max(1, (wait.toSeconds() + 59) / 60);
    return minutes == 1 ? "a minute" : minutes + " minutes";
  }

  /** The answer is elsewhere: 303 to {@code location}. */
  public static Reply seeOther(String location) {
    return new Reply(303, null, Map.of("Location", location));
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }
}
