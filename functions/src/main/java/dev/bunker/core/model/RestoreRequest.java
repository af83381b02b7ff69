package dev.bunker.core.model;

/** The body of POST /organizations/{id}/restores. */
public record RestoreRequest(String repositoryId, String snapshotId, RestoreTarget target) {}
