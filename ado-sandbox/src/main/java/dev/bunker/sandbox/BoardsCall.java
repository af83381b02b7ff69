package dev.bunker.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One request to a boards resource with what its scope names: the project (none for an
 * organization's resources) and the team (only for a team's resources).
 */
record BoardsCall(Organization organization, Project project, Team team, String rawResource, ApiVersion version,
    HttpServletRequest request, HttpServletResponse response) {

  String method() {
    return request.getMethod();
  }

  /** The api-version the answer names. */
  String at() {
    return version.toString();
  }

  Boards boards() {
    return project.boards();
  }

  BoardsCall withTeam(Team team) {
    return new BoardsCall(organization, project, team, rawResource, version, request, response);
  }
}
