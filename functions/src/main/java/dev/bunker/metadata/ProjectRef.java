package dev.bunker.metadata;

/** A project of an organization, by its id and (for people) name. */
public record ProjectRef(String id, String name) {}
