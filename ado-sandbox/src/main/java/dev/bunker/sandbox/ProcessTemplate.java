package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The process every sandbox project uses: {@code Agile (sandbox)}, inherited from the system
 * process Agile, with its work item types, states, fields, one custom rule and form layouts, in
 * the shapes of {@code _apis/wit/workitemtypes} and {@code _apis/work/processes}.
 */
final class ProcessTemplate {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String AGILE = "adcc42ab-9882-485e-a3ed-7678f01f66bc";

  record Type(String name, String color, List<String> states) {
    String referenceName() {
      return "Custom." + name.replace(" ", "");
    }

    String inherits() {
      return "Microsoft.VSTS.WorkItemTypes." + name.replace(" ", "");
    }
  }

  static final List<Type> TYPES = List.of(
      new Type("Epic", "FF7B00", List.of("New", "Active", "Resolved", "Closed", "Removed")),
      new Type("Feature", "773B93", List.of("New", "Active", "Resolved", "Closed", "Removed")),
      new Type("User Story", "009CCC", List.of("New", "Active", "Resolved", "Closed", "Removed")),
      new Type("Task", "F2CB1D", List.of("New", "Active", "Closed", "Removed")),
      new Type("Bug", "CC293D", List.of("New", "Active", "Resolved", "Closed")),
      new Type("Test Case", "004B50", List.of("Design", "Ready", "Closed")));
  static final List<String> FIELDS = List.of("System.Id", "System.Title", "System.State", "System.Reason",
      "System.AssignedTo", "System.AreaPath", "System.IterationPath", "System.Tags", "System.Description",
      "Microsoft.VSTS.Common.Priority");

  private ProcessTemplate() {}

  static UUID processId(Organization organization) {
    return UUID.nameUUIDFromBytes(("process:" + organization.path()).getBytes(StandardCharsets.UTF_8));
  }

  static String category(String state) {
    return switch (state) {
      case "New", "Design" -> "Proposed";
      case "Active", "Ready" -> "InProgress";
      case "Resolved" -> "Resolved";
      case "Removed" -> "Removed";
      default -> "Completed";
    };
  }

  /** A work item type as a project lists it ({@code _apis/wit/workitemtypes}): fields and states. */
  static ObjectNode projectType(Project project, Type type) {
    String base = project.organization().url() + "/" + project.id() + "/_apis/wit/workItemTypes/";
    ObjectNode node = JSON.createObjectNode();
    node.put("name", type.name());
    node.put("referenceName", type.referenceName());
    node.put("description", "Tracks a " + type.name().toLowerCase(java.util.Locale.ROOT) + ".");
    node.put("color", type.color());
    node.putObject("icon").put("id", "icon_" + type.name().toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
    node.put("isDisabled", false);
    ArrayNode fields = node.putArray("fields");
    for (String field : FIELDS) {
      fields.addObject().put("defaultValue", (String) null).put("alwaysRequired", field.equals("System.Title"))
          .put("referenceName", field).put("name", field.substring(field.indexOf('.') + 1))
          .put("url", project.organization().url() + "/_apis/wit/fields/" + field);
    }
    ObjectNode transitions = node.putObject("transitions");
    for (String from : type.states()) {
      ArrayNode to = transitions.putArray(from);
      type.states().stream().filter(s -> !s.equals(from)).forEach(s -> to.addObject().put("to", s));
    }
    node.put("url", base + Paths.segment(type.name()));
    return node;
  }

  static ArrayNode states(Type type) {
    ArrayNode states = JSON.createArrayNode();
    for (String state : type.states()) {
      states.addObject().put("name", state).put("color", category(state).equals("Completed") ? "339933" : "b2b2b2")
          .put("category", category(state));
    }
    return states;
  }

  static ObjectNode process(Organization organization, List<Project> projects) {
    ObjectNode process = JSON.createObjectNode();
    process.put("typeId", processId(organization).toString());
    process.put("name", "Agile (sandbox)");
    process.put("referenceName", "Inherited." + processId(organization).toString().replace("-", ""));
    process.put("description", "Agile with a custom rule on bugs.");
    process.put("parentProcessTypeId", AGILE);
    process.put("isEnabled", true);
    process.put("isDefault", false);
    process.put("customizationType", "inherited");
    if (projects != null) {
      ArrayNode array = process.putArray("projects");
      for (Project project : projects) {
        array.addObject().put("id", project.id().toString()).put("name", project.name())
            .put("url", organization.url() + "/_apis/projects/" + project.id());
      }
    }
    return process;
  }

  static ArrayNode behaviors() {
    ArrayNode behaviors = JSON.createArrayNode();
    String[][] levels = {{"Microsoft.VSTS.Agile.EpicBacklogBehavior", "Epics", "4"},
        {"Microsoft.VSTS.Agile.FeatureBacklogBehavior", "Features", "3"},
        {"System.RequirementBacklogBehavior", "Stories", "2"}, {"System.TaskBacklogBehavior", "Tasks", "1"}};
    for (String[] level : levels) {
      behaviors.addObject().put("referenceName", level[0]).put("name", level[1]).put("rank", Integer.parseInt(level[2]))
          .put("customization", "system").put("color", "009ccc");
    }
    return behaviors;
  }

  static ObjectNode processType(Type type, boolean states, boolean layout) {
    ObjectNode node = JSON.createObjectNode();
    node.put("referenceName", type.referenceName());
    node.put("name", type.name());
    node.put("description", "Tracks a " + type.name().toLowerCase(java.util.Locale.ROOT) + ".");
    node.put("color", type.color());
    node.put("inherits", type.inherits());
    node.put("customization", type.name().equals("Bug") ? "inherited" : "system");
    node.put("isDisabled", false);
    if (states) {
      ArrayNode array = node.putArray("states");
      for (String state : type.states()) {
        array.addObject().put("id", UUID.nameUUIDFromBytes((type.name() + ":" + state).getBytes(StandardCharsets.UTF_8))
            .toString()).put("name", state).put("stateCategory", category(state)).put("customizationType", "system");
      }
    }
    if (layout) {
      ObjectNode page = node.putObject("layout").putArray("pages").addObject();
      page.put("id", "Details").put("label", "Details").put("pageType", "custom");
      ArrayNode groups = page.putArray("sections").addObject().put("id", "Section1").putArray("groups");
      ObjectNode group = groups.addObject().put("id", "Details").put("label", "Details");
      ArrayNode controls = group.putArray("controls");
      for (String field : List.of("System.Description", "Microsoft.VSTS.Common.Priority")) {
        controls.addObject().put("id", field).put("label", field.substring(field.lastIndexOf('.') + 1))
            .put("controlType", "FieldControl").put("visible", true);
      }
    }
    return node;
  }

  static ArrayNode processFields() {
    ArrayNode fields = JSON.createArrayNode();
    for (String field : FIELDS) {
      fields.addObject().put("referenceName", field).put("name", field.substring(field.indexOf('.') + 1))
          .put("type", field.endsWith("Priority") || field.endsWith(".Id") ? "integer" : "string")
          .put("required", field.equals("System.Title")).put("readOnly", field.equals("System.Id"))
          .put("customization", "system");
    }
    return fields;
  }

  static ArrayNode rules(Type type) {
    ArrayNode rules = JSON.createArrayNode();
    if (type.name().equals("Bug")) {
      ObjectNode rule = rules.addObject();
      rule.put("id", UUID.nameUUIDFromBytes("rule:bug-priority".getBytes(StandardCharsets.UTF_8)).toString());
      rule.put("name", "Priority is required once active");
      rule.putArray("conditions").addObject().put("conditionType", "when").put("field", "System.State")
          .put("value", "Active");
      rule.putArray("actions").addObject().put("actionType", "makeRequired")
          .put("targetField", "Microsoft.VSTS.Common.Priority").put("value", "");
      rule.put("isDisabled", false);
      rule.put("customizationType", "custom");
    }
    return rules;
  }
}
