package dev.bunker.core.model;

/** A git repository, or the git repository behind a project wiki. */
public enum RepositoryKind {
  GIT,
  WIKI
}
