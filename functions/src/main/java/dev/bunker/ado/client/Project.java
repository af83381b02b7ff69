package dev.bunker.ado.client;

/** A team project. Only {@code wellFormed} projects are usable; others are being created or deleted. */
public record Project(String id, String name, String state, String description) {
  public boolean isUsable() {
    return "wellFormed".equals(state);
  }
}
