package dev.bunker.core.model;

/**
 * Azure DevOps (the source of backups, the target of restores) refused or failed a request. The
 * reason says what a user can do about it; the message names the organization, never a credential.
 */
public final class SourceException extends BunkerException {
  /** Why the source refused. */
  public enum Reason {
    /** The URL is not on the allow-list: it is never contacted. */
    URL_NOT_ALLOWED,
    /** The source does not know the organization, project or repository. */
    NOT_FOUND,
    /** The credential was rejected (expired, revoked, wrong organization). */
    CREDENTIAL_NOT_ACCEPTED,
    /** The credential is valid but lacks a permission. */
    ACCESS_DENIED,
    /** The target of a write already exists or is not in the state the write needs. */
    CONFLICT,
    /** Network failure, throttling or a server error that outlived the retries; worth retrying later. */
    UNAVAILABLE
  }

  private final Reason reason;

  public SourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SourceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Whether a later attempt may succeed without anyone changing anything. */
  public boolean isTransient() {
    return reason == Reason.UNAVAILABLE;
  }
}
