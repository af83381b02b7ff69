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
  /** Where the next run reads work item changes from: the reporting revisions API's continuation token. */
  WORK_ITEM_WATERMARK("workItemWatermark"),
  /** An attachment's bytes, by attachment id. */
  ATTACHMENT("attachment"),
  /** A build pipeline definition, full JSON. */
  BUILD_DEFINITION("buildDefinition"),
  /** A variable group; secret values are null (they cannot be read). */
  VARIABLE_GROUP("variableGroup");

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
