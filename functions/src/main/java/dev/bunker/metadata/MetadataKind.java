package dev.bunker.metadata;

import java.util.Arrays;

/**
 * What a metadata document is, as named in snapshot manifests. Ids are unique within a kind and
 * project (or the organization scope): a pull request is {@code <repositoryId>/<pullRequestId>}, a
 * work item its number.
 */
public enum MetadataKind {
  /** A pull request with its full description, reviewers and votes, labels and linked work items. */
  PULL_REQUEST("pullRequest"),
  /** Every comment thread of one pull request, with status and position. */
  PULL_REQUEST_THREADS("pullRequestThreads"),
  /** The iterations (pushes) of one pull request, with their source and target commits. */
  PULL_REQUEST_ITERATIONS("pullRequestIterations"),
  /** A work item as it is now: all fields and relations. */
  WORK_ITEM("workItem"),
  /** Every revision of one work item. */
  WORK_ITEM_REVISIONS("workItemRevisions"),
  /** Every comment of one work item. */
  WORK_ITEM_COMMENTS("workItemComments"),
  /** Where the next run reads work item changes from: the reporting revisions API's continuation token. */
  WORK_ITEM_WATERMARK("workItemWatermark"),
  /** An attachment's bytes, by attachment id. */
  ATTACHMENT("attachment"),
  /** A build pipeline definition, full JSON. */
  BUILD_DEFINITION("buildDefinition"),
  /** A variable group; secret values are null (they cannot be read). */
  VARIABLE_GROUP("variableGroup"),

  // Pipelines beyond build definitions. Secrets (service connection credentials, secret variable
  // values) are never in these documents: they are listed as not backed up.
  /** A classic release definition, full JSON (read from the Release Management host). */
  RELEASE_DEFINITION("releaseDefinition"),
  /** One revision of a release definition as it was saved, by {@code <definitionId>/<revision>}; never changes. */
  RELEASE_DEFINITION_REVISION("releaseDefinitionRevision"),
  /** Who changed a release definition when, and why: its list of revisions, by definition id. */
  RELEASE_DEFINITION_HISTORY("releaseDefinitionHistory"),
  /** A task group (every version Azure DevOps lists), by id. */
  TASK_GROUP("taskGroup"),
  /** A pipeline environment with its resources and its checks (approvals, gates). */
  ENVIRONMENT("environment"),
  /** A service connection's metadata: type, URL, data and authorization scheme, without its parameters. */
  SERVICE_CONNECTION("serviceConnection"),
  /** An agent queue of the project with the agent pool it takes agents from. */
  AGENT_QUEUE("agentQueue"),
  /** A pipeline as the Pipelines API shows it (YAML file, repository, folder). */
  PIPELINE("pipeline"),

  // Boards and project settings beyond work items.
  /** One classification tree of the project, {@code areas} or {@code iterations}: every node, an iteration's dates. */
  CLASSIFICATION_NODES("classificationNodes"),
  /** A work item type as the project uses it (by reference name): fields, states and transitions. */
  WORK_ITEM_TYPE("workItemType"),
  /**
   * A process (by process type id): what it inherits from and its backlog levels (behaviors). In a
   * project's snapshot the project's process; in the organization's, every process.
   */
  PROCESS("process"),
  /** A work item type of the project's process, {@code <processId>/<referenceName>}: states, fields, rules, form layout. */
  PROCESS_WORK_ITEM_TYPE("processWorkItemType"),
  /** A shared query or query folder (by id): path, WIQL, columns and sort; the backup account's own queries too. */
  QUERY("query"),
  /** A team (by id) with its members. */
  TEAM("team"),
  /** A team's settings (by team id): working days, backlog levels, bugs behaviour, its iterations and areas. */
  TEAM_SETTINGS("teamSettings"),
  /** A team's board, {@code <teamId>/<boardId>}: columns, swimlanes (rows), card fields and card style rules. */
  BOARD("board"),
  /** A team's dashboard, {@code <teamId>/<dashboardId>}, with every widget's position, size and settings. */
  DASHBOARD("dashboard"),
  /** A branch policy configuration (by id), with the repositories and branches it applies to. */
  POLICY_CONFIGURATION("policyConfiguration"),
  /** A git repository of the project (by id): its name and default branch, for what names it by id (policies). */
  REPOSITORY("repository"),
  /** A test plan (by id). */
  TEST_PLAN("testPlan"),
  /** A test suite, {@code <planId>/<suiteId>}, with its test cases (work items), configurations and testers. */
  TEST_SUITE("testSuite"),

  // Organization level: documents of the organization-scope snapshot (ProjectRef.ORGANIZATION).
  /** A project with its capabilities (version control, process template) and visibility. */
  PROJECT("project"),
  /** The properties of one project ({@code _apis/projects/{id}/properties}). */
  PROJECT_PROPERTIES("projectProperties"),
  /** A user of the organization (Graph API), by subject descriptor. */
  USER("user"),
  /** A group (Graph API), by subject descriptor. */
  GROUP("group"),
  /** The direct members of one group, by the group's descriptor. */
  GROUP_MEMBERSHIPS("groupMemberships"),
  /** A user's access level and project and extension entitlements, by user id. */
  USER_ENTITLEMENT("userEntitlement"),
  /** An installed extension, by {@code <publisher>.<extension>}. */
  INSTALLED_EXTENSION("installedExtension"),
  /** An agent pool. */
  AGENT_POOL("agentPool"),
  /** An Azure Artifacts feed with its upstream sources and settings. */
  FEED("feed"),
  /** The views of one feed, by feed id. */
  FEED_VIEWS("feedViews"),
  /** A package of a feed with all its versions, {@code <feedId>/<packageId>}; never the package files. */
  FEED_PACKAGE("feedPackage"),

  // Permissions, in the organization-scope snapshot. Kept, never restored.
  /** A security namespace (by namespace id): its actions and their permission bits. */
  SECURITY_NAMESPACE("securityNamespace"),
  /**
   * Every access control list of one security namespace, by namespace id: ordered by token, each
   * ACE by identity descriptor, with allow, deny and extended (inherited, effective) bits.
   */
  ACCESS_CONTROL_LISTS("accessControlLists"),
  /** A service principal of the organization (Graph API), by subject descriptor. */
  SERVICE_PRINCIPAL("servicePrincipal"),
  /** Who has which role (reader, collaborator, contributor, administrator) on one feed, by feed id. */
  FEED_PERMISSIONS("feedPermissions"),
  /** The retention policy of one feed (versions kept per package, days kept after download), by feed id. */
  FEED_RETENTION_POLICY("feedRetentionPolicy"),

  // TFVC, in the project's snapshot.
  /** A TFVC changeset with every one of its changes, by changeset number. */
  TFVC_CHANGESET("tfvcChangeset"),
  /** A file's bytes as a changeset left it, {@code <changeset>/<path below $/>}. */
  TFVC_FILE("tfvcFile"),
  /**
   * Marks a changeset some of whose files were not backed up (the snapshot's not-backed-up list
   * says which and why), by changeset number: such a changeset is read again by each backup.
   */
  TFVC_NOT_BACKED_UP("tfvcNotBackedUp"),
  /** The project's TFVC branches (each root with its children), one document by id {@code branches}. */
  TFVC_BRANCHES("tfvcBranches"),
  /** A TFVC label with the item versions it names, by label id. */
  TFVC_LABEL("tfvcLabel");

  private final String key;

  MetadataKind(String key) {
    this.key = key;
  }

  /** The name used in manifests. */
  public String key() {
    return key;
  }

  /** Whether documents of this kind are bytes as Azure DevOps served them, not JSON. */
  public boolean binary() {
    return this == ATTACHMENT || this == TFVC_FILE;
  }

  public static MetadataKind ofKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metadata kind " + key));
  }
}
