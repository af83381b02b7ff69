package dev.bunker.ado.client;

/**
 * A call to Azure DevOps failed. Messages name the organization and what was asked for, never
 * a credential.
 */
public class AzureDevOpsException extends RuntimeException {
  private final OrganizationUrl organization;

  public AzureDevOpsException(OrganizationUrl organization, String message) {
    this(organization, message, null);
  }

  public AzureDevOpsException(OrganizationUrl organization, String message, Throwable cause) {
    super(message, cause);
    this.organization = organization;
  }

  /** The organization the failed call went to; null when none was involved. */
  public OrganizationUrl organization() {
    return organization;
  }
}
