package dev.bunker.ado.client;

import java.net.URI;

/** A URL outside the allow-list was about to be contacted; nothing was sent to it. */
public final class OrganizationNotAllowedException extends AzureDevOpsException {
  private final URI refused;

  public OrganizationNotAllowedException(OrganizationUrl organization, URI refused, String why) {
    super(organization, "Refused to contact " + origin(refused) + ": " + why + ". Only "
        + "https://dev.azure.com/, https://*.visualstudio.com/ and the prefixes in "
        + "ALLOWED_ORGANIZATION_URLS are contacted.");
    this.refused = refused;
  }

  /** The refused URL, without its query. */
  public URI refused() {
    return refused;
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
