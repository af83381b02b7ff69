package dev.bunker.functions;

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

  /** The answer is elsewhere: 303 to {@code location}. */
  public static Reply seeOther(String location) {
    return new Reply(303, null, Map.of("Location", location));
  }

  public static Reply noContent() {
    return new Reply(204, null, Map.of());
  }
}
