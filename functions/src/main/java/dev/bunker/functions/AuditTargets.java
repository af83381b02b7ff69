package dev.bunker.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ids an audit entry names, read from what every call has: the request path (organizations/…,
 * credentials/…), the created resource's {@code Location}, the request body's id fields and an
 * organization URL. Only values shaped like ids are taken, and a URL only as scheme, host and path:
 * a secret pasted in a wrong field or a URL's user info never reaches the trail.
 */
final class AuditTargets {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
  /** Collections of the API's paths and the id their next segment is. */
  private static final Map<String, String> COLLECTIONS = Map.of(
      "organizations", "organizationId",
      "credentials", "credentialId",
      "backups", "runId",
      "restores", "restoreId",
      "metadata-restores", "restoreId",
      "repositories", "repositoryId",
      "projects", "projectId",
      "snapshots", "snapshotId");
  /** Body fields that hold ids; nested ones by path. */
  private static final Map<String, String> BODY_IDS = Map.of(
      "/credentialId", "credentialId",
      "/repositoryId", "repositoryId",
      "/snapshotId", "snapshotId",
      "/projectId", "projectId",
      "/target/organizationId", "targetOrganizationId");
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditTargets() {}

  /**
   * @param path the request's path
   * @param location the reply's {@code Location} (the created resource), or null
   * @param body the JSON request body, or null
   * @param organizationUrl the {@code organizationUrl} query parameter, or null
   */
  static Map<String, String> of(String path, String location, String body, String organizationUrl) {
    Map<String, String> targets = new LinkedHashMap<>();
    fromPath(path, targets);
    if (location != null && location.startsWith("/api/")) {
      fromPath(location, targets);
    }
    JsonNode json = json(body);
    BODY_IDS.forEach((pointer, name) -> {
      JsonNode value = json.at(pointer);
      if (value.isTextual() && ID.matcher(value.asText()).matches()) {
        targets.putIfAbsent(name, value.asText());
      }
    });
    if (json.path("dryRun").asBoolean(false)) {
      targets.put("dryRun", "true");
    }
    String url =
        organizationUrl != null ? organizationUrl : json.path("url").isTextual() ? json.path("url").asText() : null;
    plainUrl(url).ifPresent(plain -> targets.put("organizationUrl", plain));
    return targets;
  }

  private static void fromPath(String path, Map<String, String> targets) {
    String[] segments = path.split("/");
    for (int i = 0; i + 1 < segments.length; i++) {
      String name = COLLECTIONS.get(segments[i].toLowerCase(Locale.ROOT));
      if (name != null && ID.matcher(segments[i + 1]).matches()) {
        targets.put(name, segments[i + 1]);
      }
    }
  }

  private static JsonNode json(String body) {
    if (body == null || body.isBlank() || body.length() > Http.MAX_BODY_CHARS) {
      return JSON.missingNode();
    }
    try {
      JsonNode node = JSON.readTree(body);
      return node == null ? JSON.missingNode() : node;
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /** {@code scheme://host[:port]/path} of an http(s) URL, without user info, query or fragment. */
  private static Optional<String> plainUrl(String text) {
    if (text == null || text.length() > 2048) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString());
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }
}
