package dev.bunker.core;

import java.net.URI;

/** Where a snapshot's bundle export stands; {@code url} is set only when it is ready. */
public record ExportStatus(State state, URI url) {
  /** The export's progress. */
  public enum State {
    MISSING,
    WRITING,
    READY
  }

  public static ExportStatus missing() {
    return new ExportStatus(State.MISSING, null);
  }

  public static ExportStatus writing() {
    return new ExportStatus(State.WRITING, null);
  }

  public static ExportStatus ready(URI url) {
    return new ExportStatus(State.READY, url);
  }

  @Override
  public String toString() {
    // the URL carries a SAS token
    return "ExportStatus[" + state + "]";
  }
}
