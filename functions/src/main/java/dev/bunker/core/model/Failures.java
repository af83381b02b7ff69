package dev.bunker.core.model;

import dev.bunker.metadata.DamagedMetadataException;

/** How the queue workers judge and describe a failure. */
public final class Failures {
  /** Why work failed whose every delivery was stopped (the host timed it out or ran out of memory). */
  public static final String STOPPED_EVERY_TIME =
      "every attempt was stopped before it finished (timed out or out of memory?)";

  private Failures() {}

  /**
   * Network trouble and unknown errors may pass; a refusal the user must fix will not, nor damage
   * to what Bunker stored.
   */
  public static boolean worthRetrying(RuntimeException e) {
    if (e instanceof DamagedMetadataException) {
      return false;
    }
    if (e instanceof SourceException source) {
      return source.isTransient();
    }
    return e instanceof UnavailableException || !(e instanceof BunkerException);
  }

  /** The failure's message with the credential's secret masked, for results and logs. */
  public static String reasonOf(RuntimeException e, GitCredential credential) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return credential == null ? message : credential.token().redact(message);
  }
}
