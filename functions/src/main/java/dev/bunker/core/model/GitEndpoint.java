package dev.bunker.core.model;

/** A git remote and the credential to send with it (as a header, never in the URL). */
public record GitEndpoint(String url, GitCredential credential) {}
