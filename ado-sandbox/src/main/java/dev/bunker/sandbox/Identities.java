package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

/** Identity references ({@code IdentityRef}) as Azure DevOps embeds them in documents. */
final class Identities {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Identities() {}

  static ObjectNode ref(Organization organization, String displayName) {
    UUID id = UUID.nameUUIDFromBytes(("identity:" + displayName).getBytes(StandardCharsets.UTF_8));
    ObjectNode node = JSON.createObjectNode();
    node.put("displayName", displayName);
    node.put("url", organization.url() + "/_apis/Identities/" + id);
    node.put("id", id.toString());
    node.put("uniqueName", displayName.toLowerCase(Locale.ROOT).replace(' ', '.') + "@sandbox.example");
    node.put("descriptor", "aad." + id);
    return node;
  }
}
