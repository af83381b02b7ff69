package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Identity references ({@code IdentityRef}) as Azure DevOps embeds them in documents, the
 * identities API that finds an organization's users (ims/7.1/identities.json Identities_Read:
 * {@code searchFilter=General&filterValue=<unique name>}, {@code identityIds=}, {@code descriptors=}
 * for identity descriptors, {@code subjectDescriptors=} for subject ones), and the Graph calls that
 * put a user in a team's group (Descriptors_Get, Memberships_Add). A person's identity id differs
 * between organizations, as in Azure DevOps; their descriptors do not.
 */
final class Identities {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The directory tenant every sandbox user signs in with. */
  private static final UUID TENANT = UUID.nameUUIDFromBytes("sandbox tenant".getBytes(StandardCharsets.UTF_8));

  private Identities() {}

  /** Fields that name a person: a work item may set them only to a user of the organization. */
  static final java.util.Set<String> FIELDS = java.util.Set.of("system.assignedto", "system.createdby",
      "system.changedby", "microsoft.vsts.common.activatedby", "microsoft.vsts.common.resolvedby",
      "microsoft.vsts.common.closedby");

  /**
   * Each comma-separated value of the one search parameter given is matched against its own field,
   * as the spec's examples SearchByIds, SearchByIdentityDescriptors and SearchBySubjectDescriptors
   * show: an {@code aad.…} value in {@code descriptors} finds nobody.
   */
  static void search(Organization organization, jakarta.servlet.http.HttpServletRequest request,
      jakarta.servlet.http.HttpServletResponse response, String version) throws java.io.IOException {
    String field;
    String values;
    if (request.getParameter("identityIds") != null) {
      field = "id";
      values = request.getParameter("identityIds");
    } else if (request.getParameter("descriptors") != null) {
      field = "descriptor";
      values = request.getParameter("descriptors");
    } else if (request.getParameter("subjectDescriptors") != null) {
      field = "subjectDescriptor";
      values = request.getParameter("subjectDescriptors");
    } else if (request.getParameter("filterValue") != null
        && "General".equalsIgnoreCase(request.getParameter("searchFilter"))) {
      field = "uniqueName";
      values = request.getParameter("filterValue");
    } else {
      RestApi.error(response, 400, "One of identityIds, descriptors, subjectDescriptors or searchFilter=General "
          + "with filterValue is required.", "ArgumentException");
      return;
    }
    java.util.List<String> wanted = java.util.Arrays.stream(values.split(","))
        .map(v -> v.trim().toLowerCase(Locale.ROOT)).toList();
    RestApi.write(response, 200, MetadataApi.list(organization.members().stream().map(name -> ref(organization, name))
        .filter(ref -> wanted.contains((field.equals("uniqueName") || field.equals("id") ? ref.path(field).asText()
            : identity(ref).path(field).asText())
            .toLowerCase(Locale.ROOT))).<com.fasterxml.jackson.databind.JsonNode>map(Identities::identity)
        .toList()), version);
  }

  /**
   * The identities API's view of the person {@code ref} names: the identity descriptor (for an
   * Azure AD user, {@code Microsoft.IdentityModel.Claims.ClaimsIdentity;<tenant>\<account>}) differs
   * from the subject descriptor identity references carry, as in SearchBySubjectDescriptors.json.
   */
  private static ObjectNode identity(ObjectNode ref) {
    ObjectNode identity = JSON.createObjectNode();
    identity.put("id", ref.path("id").asText());
    identity.put("descriptor", "Microsoft.IdentityModel.Claims.ClaimsIdentity;" + TENANT + "\\"
        + ref.path("uniqueName").asText());
    identity.put("subjectDescriptor", ref.path("descriptor").asText());
    identity.put("providerDisplayName", ref.path("displayName").asText());
    identity.put("isActive", true);
    identity.putObject("properties").putObject("Account").put("$type", "System.String")
        .put("$value", ref.path("uniqueName").asText());
    return identity;
  }

  /** Whether {@code id} is the identity id of a user of {@code organization}. */
  static boolean isMember(Organization organization, String id) {
    return organization.members().stream().anyMatch(name -> ref(organization, name).path("id").asText()
        .equalsIgnoreCase(id));
  }

  /**
   * graph/7.1/graph.json Descriptors_Get: the subject descriptor of a storage key, here a team's id
   * (its group's) or a user's identity id; 404 for any other (as Graph does for an unknown subject).
   */
  static void descriptor(Organization organization, String storageKey,
      jakarta.servlet.http.HttpServletResponse response, String version) throws java.io.IOException {
    java.util.Optional<String> descriptor = team(organization, t -> t.id().toString().equalsIgnoreCase(storageKey))
        .map(Team::subjectDescriptor).or(() -> user(organization, "id", storageKey).map(r -> r.path("descriptor")
            .asText()));
    if (descriptor.isEmpty()) {
      RestApi.error(response, 404, "VS860018: The subject with storage key " + storageKey + " was not found.",
          "GraphSubjectNotFoundException");
      return;
    }
    RestApi.write(response, 200, JSON.createObjectNode().put("value", descriptor.get()), version);
  }

  /**
   * graph/7.1/graph.json Memberships_Add, {@code PUT _apis/graph/memberships/{subject}/{container}}:
   * puts a user in a team's group; 201 with the membership, as CreateMembershipVSTSGroup.json.
   */
  static void addMembership(Organization organization, String subject, String container,
      jakarta.servlet.http.HttpServletResponse response, String version) throws java.io.IOException {
    java.util.Optional<Team> team = team(organization, t -> t.subjectDescriptor().equals(container));
    java.util.Optional<ObjectNode> user = user(organization, "descriptor", subject);
    if (team.isEmpty() || user.isEmpty()) {
      RestApi.error(response, 404, "VS860018: The subject " + (team.isEmpty() ? container : subject)
          + " was not found.", "GraphSubjectNotFoundException");
      return;
    }
    String name = user.get().path("displayName").asText();
    if (!team.get().members().contains(name)) {
      team.get().member(name);
    }
    RestApi.write(response, 201, JSON.createObjectNode().put("containerDescriptor", container)
        .put("memberDescriptor", subject), version);
  }

  private static java.util.Optional<Team> team(Organization organization, java.util.function.Predicate<Team> which) {
    return organization.projects().stream().flatMap(p -> p.boards().teams().stream()).filter(which).findFirst();
  }

  private static java.util.Optional<ObjectNode> user(Organization organization, String field, String value) {
    return organization.members().stream().map(name -> ref(organization, name))
        .filter(ref -> ref.path(field).asText().equalsIgnoreCase(value)).findFirst();
  }

  static ObjectNode ref(Organization organization, String displayName) {
    UUID person = UUID.nameUUIDFromBytes(("identity:" + displayName).getBytes(StandardCharsets.UTF_8));
    UUID id = UUID.nameUUIDFromBytes(("identity:" + organization.id() + ":" + displayName)
        .getBytes(StandardCharsets.UTF_8));
    ObjectNode node = JSON.createObjectNode();
    node.put("displayName", displayName);
    node.put("url", organization.url() + "/_apis/Identities/" + id);
    node.put("id", id.toString());
    node.put("uniqueName", displayName.toLowerCase(Locale.ROOT).replace(' ', '.') + "@sandbox.example");
    node.put("descriptor", "aad." + person);
    return node;
  }
}
