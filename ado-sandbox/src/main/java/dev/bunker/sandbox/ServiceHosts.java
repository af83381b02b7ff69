package dev.bunker.sandbox;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which host of Azure DevOps Services serves which REST area. In the cloud, most areas are served
 * at {@code https://dev.azure.com/{organization}} but some live on a service host of their own, as
 * the {@code host} of each file of the official specification (vsts-rest-api-specs,
 * {@code specification/{area}/7.1/*.json}) says: {@code graph/graph.json} and
 * {@code ims/identities.json} on {@code vssps.dev.azure.com}, {@code memberEntitlementManagement}
 * on {@code vsaex}, {@code extensionManagement} on {@code extmgmt}, {@code artifacts/feed.json} on
 * {@code feeds}, {@code audit} on {@code auditservice}, {@code release} on {@code vsrm}. An Azure
 * DevOps Server collection serves every area at the collection URL.
 */
final class ServiceHosts {

  static final String CLOUD_HOST = "dev.azure.com";

  /** The first path segment after {@code _apis/} (lower case) to the label of its service host. */
  private static final Map<String, String> AREAS = Map.ofEntries(
      Map.entry("graph", "vssps"),
      Map.entry("identities", "vssps"),
      Map.entry("userentitlements", "vsaex"),
      Map.entry("memberentitlements", "vsaex"),
      Map.entry("groupentitlements", "vsaex"),
      Map.entry("serviceprincipalentitlements", "vsaex"),
      Map.entry("userentitlementsummary", "vsaex"),
      Map.entry("extensionmanagement", "extmgmt"),
      Map.entry("packaging", "feeds"),
      Map.entry("audit", "auditservice"),
      Map.entry("release", "vsrm"));

  private ServiceHosts() {}

  /**
   * The service a request addressed to {@code host} reaches: empty when the host is not one of
   * Azure DevOps Services' (the sandbox's own loopback address, where every area is served as a
   * Server collection serves them), {@code ""} for {@code dev.azure.com} itself, else the label
   * such as {@code vssps}.
   */
  static Optional<String> addressed(String host) {
    String lower = host == null ? "" : host.toLowerCase(Locale.ROOT);
    if (lower.equals(CLOUD_HOST)) {
      return Optional.of("");
    }
    if (lower.endsWith("." + CLOUD_HOST)) {
      return Optional.of(lower.substring(0, lower.length() - CLOUD_HOST.length() - 1));
    }
    return Optional.empty();
  }

  /** The label of the host that serves REST area {@code area} ({@code ""} for dev.azure.com itself). */
  static String serving(String area) {
    return AREAS.getOrDefault(area.toLowerCase(Locale.ROOT), "");
  }

  /** The host name of service {@code label} ({@code ""} for dev.azure.com itself). */
  static String host(String label) {
    return label.isEmpty() ? CLOUD_HOST : label + "." + CLOUD_HOST;
  }
}
