package dev.bunker.core.model;

/** Whether discovery backs a repository up, and if not, why not; or that its backups are damaged. */
public enum RepositoryState {
  PROTECTED,
  /** The policy leaves it out (patterns, wikis, or not auto-added). */
  EXCLUDED,
  /** Disabled in Azure DevOps: it cannot be fetched, which is not a failure. */
  DISABLED,
  /** Gone from the source; its backups are kept. */
  DELETED_AT_SOURCE,
  /**
   * Backed up like a protected one, but a verification found objects of its snapshots missing or
   * corrupt (its {@code damage} says which): not restorable whole. Only shown, never stored: the
   * catalog keeps what discovery found and the damage beside it.
   */
  DAMAGED
}
