package dev.bunker.core.model;

/** Names one backed-up repository: its organization and its Azure DevOps repository id. */
public record RepositoryKey(String organizationId, String repositoryId) {}
