package dev.bunker.ado.client;

/**
 * The Azure DevOps services whose REST APIs live on a host of their own in the cloud: for an
 * organization at {@code https://dev.azure.com/{org}}, service {@code vssps} is at {@code
 * https://vssps.dev.azure.com/{org}}; for a legacy {@code https://{org}.visualstudio.com} at {@code
 * https://{org}.vssps.visualstudio.com}. An Azure DevOps Server collection serves every API at the
 * collection URL itself. See {@link OrganizationUrl#at(Service)}; the allow-list admits exactly these hosts.
 */
public enum Service {
  /** Projects, git, work items, builds, TFVC: the organization URL itself. */
  CORE(null),
  /** Identities and the Graph API (users, groups, memberships). */
  IDENTITY("vssps"),
  /** User entitlements and access levels (member entitlement management). */
  ENTITLEMENTS("vsaex"),
  /** Installed extensions (extension management). */
  EXTENSIONS("extmgmt"),
  /** Azure Artifacts feeds, views and package lists. */
  FEEDS("feeds"),
  /** The audit log. */
  AUDIT("auditservice"),
  /** Release definitions and releases (classic release pipelines). */
  RELEASES("vsrm");

  private final String hostLabel;

  Service(String hostLabel) {
    this.hostLabel = hostLabel;
  }

  /** The label that names the service's host ({@code vssps}, {@code feeds}…); null for {@link #CORE}. */
  public String hostLabel() {
    return hostLabel;
  }

  /** The service whose cloud host label is {@code label}, if any. */
  static java.util.Optional<Service> ofHostLabel(String label) {
    return java.util.Arrays.stream(values()).filter(s -> s.hostLabel != null && s.hostLabel.equals(label)).findFirst();
  }
}
