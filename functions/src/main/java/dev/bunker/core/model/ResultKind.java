package dev.bunker.core.model;

/** What one result of a run backs up: a git repository, or a project's metadata (pull requests, work items, pipelines). */
public enum ResultKind {
  REPOSITORY,
  METADATA
}
