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
  /** An attachment's bytes, by attachment id. */
  ATTACHMENT("attachment"),
  /** A build pipeline definition, full JSON. */
  BUILD_DEFINITION("buildDefinition"),
  /** A variable group; secret values are null (they cannot be read). */
  VARIABLE_GROUP("variableGroup"),

  // Organization level: documents of the organization-scope snapshot (ProjectRef.ORGANIZATION).
  /** A project with its capabilities (version control, process template) and visibility. */
  PROJECT("project"),
  /** The properties of one project ({@code _apis/projects/{id}/properties}). */
  PROJECT_PROPERTIES("projectProperties"),
  /** A process (template) projects are created from. */
  PROCESS("process"),
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
