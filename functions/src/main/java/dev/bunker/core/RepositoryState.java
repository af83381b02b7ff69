package dev.bunker.core;

/** Whether discovery backs a repository up, and if not, why not. */
public enum RepositoryState {
  PROTECTED,
  /** The policy leaves it out (patterns, wikis, or not auto-added). */
  EXCLUDED,
  /** Disabled in Azure DevOps: it cannot be fetched, which is not a failure. */
  DISABLED,
  /** Gone from the source; its backups are kept. */
  DELETED_AT_SOURCE
}
