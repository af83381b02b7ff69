package dev.bunker.core.model;

import java.net.URI;
import java.time.Duration;

/**
 * Where a download's export stands: {@code url} is set only when it is ready; {@code reason} and
 * {@code retryAfter} only when every attempt failed (asking again after {@code retryAfter} starts anew).
 */
public record ExportStatus(State state, URI url, String reason, Duration retryAfter) {
  /** The export's progress. */
  public enum State {
    MISSING,
    WRITING,
    READY,
    FAILED
  }

  public static ExportStatus missing() {
    return new ExportStatus(State.MISSING, null, null, null);
  }

  public static ExportStatus writing() {
    return new ExportStatus(State.WRITING, null, null, null);
  }

  public static ExportStatus ready(URI url) {
    return new ExportStatus(State.READY, url, null, null);
  }

  public static ExportStatus failed(String reason, Duration retryAfter) {
    return new ExportStatus(State.FAILED, null, reason, retryAfter);
  }

  @Override
  public String toString() {
    // the URL carries a SAS token
    return "ExportStatus[" + state + "]";
  }
}
