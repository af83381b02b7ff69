package dev.bunker.ado.client;

/** A wiki and the git repository that holds it. */
public record Wiki(String id, String name, Type type, String projectId, String repositoryId) {
  /** A project wiki lives in a hidden {@code {project}.wiki} repository; a code wiki in an ordinary one. */
  public enum Type {
    PROJECT_WIKI, CODE_WIKI
  }
}
