package dev.bunker.core;

/** A repository as Azure DevOps lists it. {@code remoteUrl} carries no credentials. */
public record SourceRepository(
    String id,
    String projectId,
    String project,
    String name,
    RepositoryKind kind,
    String remoteUrl,
    boolean disabled,
    boolean empty) {}
