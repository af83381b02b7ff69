package dev.bunker.core.model;

import dev.bunker.metadata.MetadataSnapshot;

/**
 * A project (or the organization itself) that has metadata snapshots, with its newest one: what
 * the console lists before a user picks a project's snapshots.
 *
 * @param projectId the project id, or {@link dev.bunker.metadata.ProjectRef#ORGANIZATION} for the
 *     organization-level snapshot (projects, users, groups, extensions, pools, feeds)
 * @param projectName the name recorded in its newest snapshot; "Organization" for the organization scope
 * @param snapshots how many snapshots it has
 */
public record MetadataProject(String projectId, String projectName, int snapshots, MetadataSnapshot.Summary latest) {}
