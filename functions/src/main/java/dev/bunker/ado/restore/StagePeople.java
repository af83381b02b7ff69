package dev.bunker.ado.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.ado.client.AdoJson;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Stage owners and approvers, who are people of the source organization: the same person in the
 * target when it knows them, else the restoring account (an approval stays an approval), reported.
 */
final class StagePeople {
  private final TargetIdentities people;
  private final Set<String> identities;
  private final Supplier<String> restoringAccountId;
  private String restoringAccount;

  /** @param restoringAccountId asked once, when someone is not known in the target */
  StagePeople(TargetIdentities people, Set<String> identities, Supplier<String> restoringAccountId) {
    this.people = people;
    this.identities = identities;
    this.restoringAccountId = restoringAccountId;
  }

  void map(ObjectNode stage, String what, Set<String> notes) {
    if (TargetIdentities.isPerson(stage.path("owner"))) {
      stage.set("owner", person(stage.path("owner"), what + " (owner)", notes));
    }
    for (String approvals : List.of("preDeployApprovals", "postDeployApprovals")) {
      for (JsonNode approval : stage.path(approvals).path("approvals")) {
        if (TargetIdentities.isPerson(approval.path("approver"))) {
          ((ObjectNode) approval).set("approver", person(approval.path("approver"), what + " (approver)", notes));
        }
      }
    }
  }

  private ObjectNode person(JsonNode source, String role, Set<String> notes) {
    String id = people.id(source).orElse(null);
    if (id == null) {
      identities.add(TargetIdentities.name(source));
      notes.add(role + ": " + TargetIdentities.name(source) + " is not known in the target organization; "
          + "the restoring account took their place");
      if (restoringAccount == null) {
        restoringAccount = restoringAccountId.get();
      }
      id = restoringAccount;
    }
    return AdoJson.JSON.createObjectNode().put("id", id);
  }
}
