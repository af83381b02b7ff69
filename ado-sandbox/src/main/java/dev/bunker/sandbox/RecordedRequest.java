package dev.bunker.sandbox;

import java.time.Instant;

/**
 * One request the sandbox answered. Never holds a credential: only which scheme was offered.
 *
 * @param authScheme {@code Basic}, {@code Bearer}, another scheme name, or {@code null} when the
 *     request carried no {@code Authorization} header
 * @param query the raw query string, or {@code null}
 */
public record RecordedRequest(
    Instant at, String method, String path, String query, int status, String authScheme) {

  /** The value of one query parameter, or {@code null}. */
  public String queryParameter(String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = java.net.URLDecoder.decode(
          eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : java.net.URLDecoder.decode(
            pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  public boolean isGit() {
    return path.contains("/_git/");
  }

  @Override
  public String toString() {
    return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status
        + (authScheme == null ? " (anonymous)" : " (" + authScheme + ")");
  }
}
