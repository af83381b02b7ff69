package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A pipeline variable group; secret values are stored but answered as null, like Azure DevOps. */
public final class VariableGroup {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Project project;
  private final int id;
  private final String name;
  private final Instant created;
  private final Map<String, String> variables = new LinkedHashMap<>();
  private final Map<String, Boolean> secret = new LinkedHashMap<>();
  private volatile String description = "";

  VariableGroup(Project project, int id, String name, Instant created) {
    this.project = project;
    this.id = id;
    this.name = name;
    this.created = created;
  }

  public int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public VariableGroup description(String text) {
    description = text;
    return this;
  }

  public synchronized VariableGroup variable(String variableName, String value) {
    variables.put(variableName, value);
    secret.put(variableName, false);
    return this;
  }

  public synchronized VariableGroup secret(String variableName, String value) {
    variables.put(variableName, value);
    secret.put(variableName, true);
    return this;
  }

  synchronized ObjectNode json() {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode vars = node.putObject("variables");
    variables.forEach((key, value) -> {
      ObjectNode v = vars.putObject(key);
      if (secret.get(key)) {
        v.putNull("value");
        v.put("isSecret", true);
      } else {
        v.put("value", value);
      }
    });
    node.put("id", id);
    node.put("type", "Vsts");
    node.put("name", name);
    node.put("description", description);
    node.set("createdBy", Identities.ref(project.organization(), "Avery Tester"));
    node.put("createdOn", created.toString());
    node.set("modifiedBy", Identities.ref(project.organization(), "Avery Tester"));
    node.put("modifiedOn", created.toString());
    node.put("isShared", false);
    ObjectNode reference = node.putArray("variableGroupProjectReferences").addObject();
    reference.putObject("projectReference").put("id", project.id().toString()).put("name", project.name());
    reference.put("name", name);
    reference.put("description", description);
    return node;
  }
}
