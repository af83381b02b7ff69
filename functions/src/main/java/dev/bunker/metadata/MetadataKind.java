package dev.bunker.metadata;

import java.util.Arrays;

/**
 * What a metadata document is, as named in snapshot manifests. Ids are unique within a kind and
 * project: a pull request is {@code <repositoryId>/<pullRequestId>}, a work item its number.
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
  /** The project's process (by process type id): what it inherits from, and its backlog levels (behaviors). */
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
  /** A test plan (by id). */
  TEST_PLAN("testPlan"),
  /** A test suite, {@code <planId>/<suiteId>}, with its test cases (work items), configurations and testers. */
  TEST_SUITE("testSuite");

  private final String key;

  MetadataKind(String key) {
    this.key = key;
  }

  /** The name used in manifests. */
  public String key() {
    return key;
  }

  public static MetadataKind ofKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metadata kind " + key));
  }
}
