package dev.bunker.sandbox;

import static dev.bunker.sandbox.BoardsApi.list;
import static dev.bunker.sandbox.BoardsApi.previewBefore7;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * The process template's REST resources ({@link BoardsApi}'s routes): a project's work item types and
 * their states, and the organization's process with its behaviors, work item types, fields, rules,
 * states and layouts (preview APIs before 7.0).
 */
final class ProcessApi {

  void workItemTypes(BoardsCall call, Matcher m) throws IOException {
    RestApi.write(call.response(), 200, MetadataApi.list(ProcessTemplate.TYPES.stream()
        .<JsonNode>map(t -> ProcessTemplate.projectType(call.project(), t)).toList()), call.at());
  }

  void typeStates(BoardsCall call, Matcher m) throws IOException {
    // wit/5.0 and wit/6.0 workItemTracking.json Work Item Type States_List take api-Version-preview.1
    if (previewBefore7(call)) {
      return;
    }
    String name = m.group(1);
    Optional<ProcessTemplate.Type> type = ProcessTemplate.TYPES.stream()
        .filter(t -> t.name().equalsIgnoreCase(name) || t.referenceName().equalsIgnoreCase(name)).findFirst();
    if (type.isEmpty()) {
      RestApi.error(call.response(), 404, "TF51535: Cannot find work item type " + name + ".",
          "WorkItemTypeNotFoundException");
    } else {
      List<JsonNode> states = new ArrayList<>();
      ProcessTemplate.states(type.get()).forEach(states::add);
      RestApi.write(call.response(), 200, MetadataApi.list(states), call.at());
    }
  }

  void process(BoardsCall call, Matcher m) throws IOException {
    if (previewBefore7(call)) {
      return;
    }
    Organization organization = call.organization();
    HttpServletResponse response = call.response();
    String version = call.at();
    String processId = ProcessTemplate.processId(organization).toString();
    if (m.group(1) == null) {
      boolean projects = "projects".equalsIgnoreCase(call.request().getParameter("$expand"));
      RestApi.write(response, 200, MetadataApi.list(List.of(
          ProcessTemplate.process(organization, projects ? organization.projects() : null))), version);
      return;
    }
    if (!m.group(1).equalsIgnoreCase(processId)) {
      RestApi.error(response, 404, "VS402356: The process with id " + m.group(1) + " does not exist.",
          "ProcessNotFoundByTypeIdException");
      return;
    }
    if (m.group(2) == null) {
      RestApi.write(response, 200, ProcessTemplate.process(organization, null), version);
      return;
    }
    if (m.group(2).equals("behaviors")) {
      RestApi.write(response, 200, list(ProcessTemplate.behaviors()), version);
      return;
    }
    if (m.group(3) == null) {
      String expand = Optional.ofNullable(call.request().getParameter("$expand")).orElse("none")
          .toLowerCase(Locale.ROOT);
      RestApi.write(response, 200,
          MetadataApi.list(ProcessTemplate.TYPES.stream()
              .<JsonNode>map(t -> ProcessTemplate.processType(t, expand.contains("states"), expand.contains("layout")))
              .toList()),
          version);
      return;
    }
    Optional<ProcessTemplate.Type> type = ProcessTemplate.TYPES.stream()
        .filter(t -> t.referenceName().equalsIgnoreCase(m.group(3))).findFirst();
    if (type.isEmpty()) {
      RestApi.error(response, 404, "VS402805: The work item type " + m.group(3) + " does not exist in the process.",
          "WorkItemTypeNotFoundException");
      return;
    }
    switch (m.group(4)) {
      case "fields" -> RestApi.write(response, 200, list(ProcessTemplate.processFields()), version);
      case "rules" -> RestApi.write(response, 200, list(ProcessTemplate.rules(type.get())), version);
      case "states" -> RestApi.write(response, 200,
          list((ArrayNode) ProcessTemplate.processType(type.get(), true, false).path("states")), version);
      default -> RestApi.write(response, 200, ProcessTemplate.processType(type.get(), false, true).path("layout"),
          version);
    }
  }
}
