package dev.bunker.ado.client;

/**
 * Azure DevOps answered a call with an error that retrying will not fix (or retries ran out).
 *
 * @see #status() the HTTP status, or 0 when no answer came (connection failures, timeouts)
 */
public final class AzureDevOpsRequestException extends AzureDevOpsException {
  private final int status;
  private final String typeKey;

  public AzureDevOpsRequestException(OrganizationUrl organization, String message, int status,
      String typeKey, Throwable cause) {
    super(organization, message, cause);
    this.status = status;
    this.typeKey = typeKey;
  }

  public int status() {
    return status;
  }

  /** Azure DevOps' error type, e.g. {@code GitRepositoryNameAlreadyExistsException}; may be null. */
  public String typeKey() {
    return typeKey;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isConflict() {
    return status == 409;
  }
}
