package dev.bunker.ado.client;

/**
 * The organization did not accept the credential: 401, a 203 sign-in page, a redirect to a
 * sign-in page, or an answer that was not JSON. The token may be wrong, expired, revoked, lack a
 * scope, or belong to a tenant the organization is not connected to.
 */
public final class CredentialNotAcceptedException extends AzureDevOpsException {
  public CredentialNotAcceptedException(OrganizationUrl organization, String how) {
    super(organization, "The credential was not accepted by " + organization + " (" + how + "). "
        + "Check that the token is valid, not expired, has the needed scopes (Code: Read; "
        + "Code: Read & write to restore), and belongs to a user of this organization.");
  }
}
