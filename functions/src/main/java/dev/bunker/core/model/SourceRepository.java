package dev.bunker.core.model;

/**
 * A repository as Azure DevOps lists it. {@code remoteUrl} carries no credentials; it is null when
 * {@code unusableBecause} says why the repository cannot be backed up (its listed clone URL is
 * off the allow-list or not a URL), which fails that repository alone.
 */
public record SourceRepository(
    String id,
    String projectId,
    String project,
    String name,
    RepositoryKind kind,
    String remoteUrl,
    boolean disabled,
    boolean empty,
    String unusableBecause) {}
