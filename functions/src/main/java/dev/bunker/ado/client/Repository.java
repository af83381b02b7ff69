package dev.bunker.ado.client;

import java.net.URI;

/**
 * A git repository as Azure DevOps lists it.
 *
 * @param defaultBranch e.g. {@code refs/heads/main}; null for an empty repository
 * @param remoteUrl the clone URL, without user info and on the allow-list; null when {@code unusableBecause}
 *     says why it cannot be used
 * @param disabled disabled repositories answer 403 to git: skip them and say so
 * @param projectWiki the hidden {@code {project}.wiki} repository behind a project wiki
 * @param unusableBecause why git and LFS cannot reach it (its listed clone URL is off the allow-list or
 *     not a URL); null when they can
 */
public record Repository(String id, String name, String projectId, String projectName,
    String defaultBranch, long size, URI remoteUrl, boolean disabled, boolean inMaintenance,
    boolean fork, boolean projectWiki, String unusableBecause) {

  /** An empty repository has no refs: its snapshot is empty, not an error. */
  public boolean isEmpty() {
    return defaultBranch == null;
  }
}
