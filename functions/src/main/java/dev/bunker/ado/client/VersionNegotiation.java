package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the api-version an organization speaks: calls start at the newest of {@link
 * AzureDevOpsClient#API_VERSIONS}; a server that answers "out of range" gets the newest older one
 * it says it supports, remembered for every later call to it.
 */
final class VersionNegotiation {
  private static final Logger LOG = Logger.getLogger("dev.bunker.ado");
  private static final Pattern SUPPORTED_VERSION =
      Pattern.compile("latest REST API version this server supports is (\\d+\\.\\d+)");

  private VersionNegotiation() {}

  /** Whether a 400 answer's {@code error} says the api-version asked for is too new for the server. */
  static boolean isOutOfRange(int status, JsonNode error) {
    return status == 400 && ("VssVersionOutOfRangeException".equals(error.path("typeKey").asText())
        || error.path("message").asText().contains("is out of range for this server"));
  }

  /** Moves to the newest known version the server says it supports, and remembers it. */
  static void stepDown(OrganizationUrl organization, OrganizationState state, String tried, JsonNode error) {
    Matcher supported = SUPPORTED_VERSION.matcher(error.path("message").asText());
    String ceiling = supported.find() ? supported.group(1) : null;
    String next = AzureDevOpsClient.API_VERSIONS.stream()
        .filter(v -> ApiVersions.compare(v, tried) < 0 && (ceiling == null || ApiVersions.compare(v, ceiling) <= 0))
        .findFirst()
        .orElseThrow(() -> new AzureDevOpsRequestException(organization, organization
            + " supports REST API versions only up to " + (ceiling == null ? "an unknown version" : ceiling)
            + "; Bunker needs api-version 5.0 (Azure DevOps Server 2019) or newer", 400,
            error.path("typeKey").asText(null), null));
    if (state.apiVersion.compareAndSet(tried, next)) {
      LOG.info(() -> organization + " does not support api-version " + tried + "; using " + next + " from now on");
    }
  }
}
