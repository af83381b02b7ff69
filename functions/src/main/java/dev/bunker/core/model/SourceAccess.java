package dev.bunker.core.model;

/** An organization URL and the credential to use with it. */
public record SourceAccess(String organizationUrl, GitCredential credential) {}
