package dev.bunker.ado;

import java.net.URI;

/**
 * A git repository as Azure DevOps lists it.
 *
 * @param defaultBranch e.g. {@code refs/heads/main}; null for an empty repository
 * @param remoteUrl the clone URL (checked against the allow-list when listed)
 * @param disabled disabled repositories answer 403 to git: skip them and say so
 * @param projectWiki the hidden {@code {project}.wiki} repository behind a project wiki
 */
public record Repository(String id, String name, String projectId, String projectName,
    String defaultBranch, long size, URI remoteUrl, boolean disabled, boolean inMaintenance,
    boolean fork, boolean projectWiki) {

  /** An empty repository has no refs: its snapshot is empty, not an error. */
  public boolean isEmpty() {
    return defaultBranch == null;
  }
}
