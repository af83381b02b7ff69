package dev.bunker.core.model;

/** A record as read, with the opaque version (an ETag) that a conditional write must name. */
public record Versioned<T>(T value, String version) {}
