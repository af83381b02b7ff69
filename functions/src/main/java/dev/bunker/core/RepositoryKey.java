package dev.bunker.core;

/** Names one backed-up repository: its organization and its Azure DevOps repository id. */
public record RepositoryKey(String organizationId, String repositoryId) {}
