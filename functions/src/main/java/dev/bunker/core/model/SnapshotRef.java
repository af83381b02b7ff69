package dev.bunker.core.model;

/** One ref of a snapshot ({@code refs/heads/main} → commit id), as the source had it. */
public record SnapshotRef(String name, String objectId) {}
