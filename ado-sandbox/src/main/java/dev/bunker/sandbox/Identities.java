package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/**
 * Identity references ({@code IdentityRef}) as Azure DevOps embeds them in documents, and the
 * identities API that finds an organization's users ({@code GET _apis/identities?searchFilter=General
 * &filterValue=<unique name>}, {@code ?descriptors=} or {@code ?identityIds=<id>,<id>}). A person's
 * identity id differs between organizations, as in Azure DevOps; their descriptor does not.
 */
final class Identities {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.regex.Pattern MEMBERS = java.util.regex.Pattern.compile(
      "identities/([^/]+)/members/([^/]+)");

  private Identities() {}

  /** Fields that name a person: a work item may set them only to a user of the organization. */
  static final java.util.Set<String> FIELDS = java.util.Set.of("system.assignedto", "system.createdby",
      "system.changedby", "microsoft.vsts.common.activatedby", "microsoft.vsts.common.resolvedby",
      "microsoft.vsts.common.closedby");

  static void search(Organization organization, jakarta.servlet.http.HttpServletRequest request,
      jakarta.servlet.http.HttpServletResponse response, String version) throws java.io.IOException {
    String descriptor = request.getParameter("descriptors");
    String value = request.getParameter("filterValue");
    String ids = request.getParameter("identityIds");
    if (ids != null) {
      java.util.List<String> wanted = java.util.Arrays.asList(ids.toLowerCase(Locale.ROOT).split(","));
      RestApi.write(response, 200, MetadataApi.list(organization.members().stream().map(name -> ref(organization, name))
          .filter(ref -> wanted.contains(ref.path("id").asText())).<com.fasterxml.jackson.databind.JsonNode>map(
              Identities::identity).toList()), version);
      return;
    }
    if (descriptor == null && (value == null || !"General".equalsIgnoreCase(request.getParameter("searchFilter")))) {
      RestApi.error(response, 400, "Either descriptors or searchFilter=General with filterValue is required.",
          "ArgumentException");
      return;
    }
    java.util.List<com.fasterxml.jackson.databind.JsonNode> found = new java.util.ArrayList<>();
    organization.member(descriptor != null ? descriptor : value, descriptor != null)
        .ifPresent(ref -> found.add(identity(ref)));
    RestApi.write(response, 200, MetadataApi.list(found), version);
  }

  /** The identities API's view of the person {@code ref} names. */
  private static ObjectNode identity(ObjectNode ref) {
    ObjectNode identity = JSON.createObjectNode();
    identity.put("id", ref.path("id").asText());
    identity.put("descriptor", ref.path("descriptor").asText());
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
   * {@code PUT _apis/identities/{containerId}/members/{memberId}}: adds a user of the organization to
   * a team (a team's id is its group's identity id); answers whether they were not a member yet.
   */
  static void addMember(Organization organization, String resource, jakarta.servlet.http.HttpServletResponse response,
      String version) throws java.io.IOException {
    java.util.regex.Matcher m = MEMBERS.matcher(resource);
    java.util.Optional<Team> team = m.matches() ? organization.projects().stream()
        .flatMap(p -> p.boards().findTeam(m.group(1)).stream()).findFirst() : java.util.Optional.empty();
    java.util.Optional<ObjectNode> user = team.isEmpty() ? java.util.Optional.empty()
        : organization.members().stream().map(name -> ref(organization, name))
            .filter(ref -> ref.path("id").asText().equalsIgnoreCase(m.group(2))).findFirst();
    if (user.isEmpty()) {
      RestApi.error(response, 404, "VS402371: There is no group or identity " + resource + ".",
          "IdentityNotFoundException");
      return;
    }
    boolean added = !team.get().members().contains(user.get().path("displayName").asText());
    if (added) {
      team.get().member(user.get().path("displayName").asText());
    }
    RestApi.write(response, 200, JSON.getNodeFactory().booleanNode(added), version);
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
