package dev.bunker.core.model;

/**
 * Where a snapshot is pushed: a repository of a registered organization (the snapshot's own one when
 * {@code organizationId} is missing), created first when {@code create} is true, otherwise an
 * existing empty repository.
 */
public record RestoreTarget(String organizationId, String project, String repository, Boolean create) {
  public boolean creates() {
    return Boolean.TRUE.equals(create);
  }
}
