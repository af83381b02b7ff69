package dev.bunker.ado.client;

import java.util.Map;
import java.util.Optional;

/**
 * The APIs Bunker reads that not every organization has. Graph, user entitlements and the audit
 * log are Azure DevOps Services only: the specification has no Azure DevOps Server file for them
 * (graph, memberEntitlementManagement, audit), and a Server answers their routes "Page not found"
 * (MicrosoftDocs/vsts-rest-api-specs#184, Azure/azure-devops-cli-extension#666 and #1105). Others
 * start at an api-version newer than some a Server speaks; Bunker does not call them there.
 */
public enum Api {
  GRAPH(true, "5.0"),
  /** graph/7.1/graph.json Service Principals_List: no older file has it. */
  SERVICE_PRINCIPALS(true, "7.1"),
  USER_ENTITLEMENTS(true, "5.0"),
  /** audit/5.1 is the first audit file. */
  AUDIT_LOG(true, "5.1"),
  /** distributedTask 6.0 is the first taskAgent file with Environments_List (Server 2020 has it, 2019 not). */
  ENVIRONMENTS(false, "6.0"),
  /** pipelines/6.0 is the first pipelines file (and azure-devops-server-6.0 the first Server one). */
  PIPELINES(false, "6.0"),
  /** approvalsAndChecks/6.1 is the first checks file (azure-devops-server-7.0 the first Server one). */
  CHECKS(false, "6.1");

  /** The Azure DevOps Server release that speaks each api-version at most. */
  private static final Map<String, String> SERVERS = Map.of("5.0", "Azure DevOps Server 2019",
      "6.0", "Azure DevOps Server 2020", "7.0", "Azure DevOps Server 2022", "7.1", "Azure DevOps Server 2022.1");

  private final boolean cloudOnly;
  private final String since;

  Api(boolean cloudOnly, String since) {
    this.cloudOnly = cloudOnly;
    this.since = since;
  }

  /**
   * Why {@code organization}, speaking {@code apiVersion}, is not asked for this API, as an
   * omission's reason; empty when it has it.
   */
  public Optional<String> missing(OrganizationUrl organization, String apiVersion) {
    boolean server = organization.kind() == OrganizationUrl.Kind.SERVER;
    if ((!cloudOnly || !server) && ApiVersions.compare(apiVersion, since) >= 0) {
      return Optional.empty();
    }
    String who = server ? SERVERS.getOrDefault(apiVersion, "Azure DevOps Server") + " (api-version "
        + apiVersion + ")" : "api-version " + apiVersion;
    return Optional.of("not backed up, because " + who + " has no such API");
  }
}
