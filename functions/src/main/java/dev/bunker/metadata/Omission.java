package dev.bunker.metadata;

/**
 * Something a snapshot does not hold, and why: listed in the manifest so nothing is silently
 * missing (e.g. a secret variable's value, which Azure DevOps never returns).
 *
 * @param kind the manifest name of a {@link MetadataKind}, or another name for things not stored at all
 * @param id what it is, e.g. {@code <variableGroupId>/<variableName>}
 */
public record Omission(String kind, String id, String reason) {}
