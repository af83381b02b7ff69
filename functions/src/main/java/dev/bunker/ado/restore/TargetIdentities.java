package dev.bunker.ado.restore;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.client.AzureDevOpsRequestException;
import dev.bunker.ado.client.Credential;
import dev.bunker.ado.client.Exchange;
import dev.bunker.ado.client.OrganizationNotAllowedException;
import dev.bunker.ado.client.OrganizationUrl;
import dev.bunker.ado.client.Service;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The people of a restore's target organization: whether someone a backed-up document names (an
 * identity reference with {@code uniqueName} or {@code descriptor}: a work item's people fields, a
 * team's members, a release stage's owner and approvers, a branch policy's required reviewers) is a
 * user there, found through the identities API ({@code _apis/identities?searchFilter=General&filterValue=},
 * or by descriptor: {@code ?subjectDescriptors=} for the {@code aad.…}/{@code msa.…} ones identity
 * references carry, {@code ?descriptors=} for identity descriptors such as {@code
 * Microsoft.IdentityModel.Claims.ClaimsIdentity;…}; ims/7.1/identities.json Identities_Read) on the
 * organization's identity host ({@code vssps.dev.azure.com} in the cloud, the collection itself on a
 * Server) once per person and remembered for the restore.
 */
final class TargetIdentities {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("dev.bunker.ado");
  private final Exchange exchange;
  private final OrganizationUrl organization;
  private final Credential credential;
  private final Map<String, Optional<JsonNode>> known = new ConcurrentHashMap<>();

  TargetIdentities(Exchange exchange, OrganizationUrl organization, Credential credential) {
    this.exchange = exchange;
    this.organization = organization.at(Service.IDENTITY);
    this.credential = credential;
  }

  /** Whether {@code reference} is a person reference at all. */
  static boolean isPerson(JsonNode reference) {
    return reference.isObject() && (reference.has("uniqueName") || reference.has("descriptor"));
  }

  /** Who {@code reference} names, for people: the unique name, else the descriptor. */
  static String name(JsonNode reference) {
    return reference.path("uniqueName").asText(reference.path("descriptor").asText());
  }

  /** The unique name the target organization knows {@code reference}'s person by, if it knows them. */
  Optional<String> find(JsonNode reference) {
    return identity(reference).map(i -> i.path("properties").path("Account").path("$value").asText());
  }

  /** The id of the target organization's identity of {@code reference}'s person. */
  Optional<String> id(JsonNode reference) {
    return identity(reference).map(i -> i.path("id").asText());
  }

  /** The Graph subject descriptor of {@code reference}'s person in the target organization (to add them to a group). */
  Optional<String> subjectDescriptor(JsonNode reference) {
    return identity(reference).map(i -> i.path("subjectDescriptor").asText()).filter(d -> !d.isEmpty());
  }

  private Optional<JsonNode> identity(JsonNode reference) {
    String uniqueName = reference.path("uniqueName").asText("");
    String descriptor = reference.path("descriptor").asText("");
    String key = uniqueName.isEmpty() ? "d:" + descriptor : "u:" + uniqueName.toLowerCase(java.util.Locale.ROOT);
    return known.computeIfAbsent(key, k -> lookUp(!uniqueName.isEmpty()
        ? "searchFilter=General&filterValue=" + encode(uniqueName)
        // an identity descriptor names its type before a ';', a subject descriptor has none
        : (descriptor.contains(";") ? "descriptors=" : "subjectDescriptors=") + encode(descriptor)));
  }

  /** Asks the organization; an identities API it does not answer means nobody can be mapped. */
  private Optional<JsonNode> lookUp(String query) {
    JsonNode found;
    try {
      found = exchange.get(organization, credential, "_apis/identities?" + query + "&queryMembership=None").body();
    } catch (AzureDevOpsRequestException | OrganizationNotAllowedException e) {
      LOG.warning(() -> "Could not look people up in " + organization + ": " + e.getMessage());
      return Optional.empty();
    }
    for (JsonNode identity : found.path("value")) {
      String account = identity.path("properties").path("Account").path("$value").asText("");
      if (identity.path("isActive").asBoolean(true) && !account.isEmpty()) {
        return Optional.of(identity);
      }
    }
    return Optional.empty();
  }
}
