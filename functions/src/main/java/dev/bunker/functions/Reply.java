package dev.bunker.functions;

import dev.bunker.core.ExportStatus;
import java.util.Map;

/** What a handler answers: a status, an optional JSON body and headers; {@link Http} turns it into a response. */
public record Reply(int status, Object body, Map<String, String> headers) {
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
   * A download served from an export blob: 303 to its short-lived link once written, otherwise 202
   * asking to come back to {@code self} in a few seconds (writing a large export takes a while).
   */
  public static Reply export(ExportStatus export, String self) {
    if (export.state() == ExportStatus.State.READY) {
      return seeOther(export.url().toString());
    }
    return acceptedRetryAfter(self, Map.of("status", "writing"), 10);
  }

  /** The answer is elsewhere: 303 to {@code location}. */
  public static Reply seeOther(String location) {
    return new Reply(303, null, Map.of("Location", location));
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }
}
