package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creating what a restore writes to pipelines ({@link PipelineApi}'s): variable groups, task groups
 * and release definitions. Refuses, as Azure DevOps does, a definition that names a queue, variable
 * group, task group, build definition, repository or person the project or organization does not
 * have.
 */
final class PipelineCreation {
  private PipelineCreation() {}

  /** Organization-level since 6.0, with the projects in {@code variableGroupProjectReferences}; project-level before. */
  static void variableGroup(Organization organization, Project pathProject, HttpServletRequest request,
      HttpServletResponse response, String at) throws IOException {
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    String projectId = body.path("variableGroupProjectReferences").path(0).path("projectReference").path("id")
        .asText(null);
    Project project = pathProject != null ? pathProject
        : projectId == null ? null : organization.findProject(projectId).orElse(null);
    if (name.isBlank() || project == null) {
      RestApi.error(response, 400, "A variable group needs a name and the project it belongs to "
          + "(variableGroupProjectReferences).", "InvalidRequestException");
      return;
    }
    if (project.variableGroups().stream().anyMatch(g -> g.name().equalsIgnoreCase(name))) {
      RestApi.error(response, 400, "Variable group with name " + name + " already exists.",
          "VariableGroupExistsException");
      return;
    }
    VariableGroup created = project.variableGroup(name).description(body.path("description").asText(""));
    body.path("variables").properties().forEach(v -> {
      if (v.getValue().path("isSecret").asBoolean(false)) {
        created.secret(v.getKey(), v.getValue().path("value").asText(""));
      } else {
        created.variable(v.getKey(), v.getValue().path("value").asText(""));
      }
    });
    RestApi.write(response, 200, created.json(), at);
  }

  static void taskGroup(Project project, HttpServletRequest request, HttpServletResponse response,
      String at) throws IOException {
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    if (name.isBlank() || !body.path("tasks").isArray()) {
      RestApi.error(response, 400, "A task group needs a name and tasks.", "InvalidRequestException");
      return;
    }
    if (project.pipelines().taskGroups().stream().anyMatch(t -> t.name().equalsIgnoreCase(name))) {
      RestApi.error(response, 400, "A task group with name " + name + " already exists.",
          "MetaTaskDefinitionExistsException");
      return;
    }
    for (JsonNode task : body.path("tasks")) {
      if (!known(project, task.path("task"), "id")) {
        RestApi.error(response, 400, "Task group " + task.path("task").path("id").asText() + " used by " + name
            + " does not exist.", "MetaTaskDefinitionNotFoundException");
        return;
      }
    }
    RestApi.write(response, 200, project.pipelines().createTaskGroup(name, (ArrayNode) body.path("tasks"), body).json(),
        at);
  }

  static void releaseDefinition(Project project, AdoSandbox.Identity identity,
      HttpServletRequest request, HttpServletResponse response, String at) throws IOException {
    JsonNode body = MetadataApi.body(request, response);
    if (body == null) {
      return;
    }
    String name = body.path("name").asText("");
    if (name.isBlank()) {
      RestApi.error(response, 400, "VS402868: The release definition name is required.", "InvalidRequestException");
      return;
    }
    if (project.pipelines().releaseDefinitions().stream().anyMatch(d -> d.name().equalsIgnoreCase(name))) {
      RestApi.error(response, 400, "VS402864: A release definition with name " + name + " already exists.",
          "ReleaseDefinitionAlreadyExistsException");
      return;
    }
    String problem = releaseDefinitionProblem(project, identity, body);
    if (problem != null) {
      RestApi.error(response, 400, problem, "InvalidRequestException");
      return;
    }
    ObjectNode content = ((ObjectNode) body).deepCopy();
    for (String serverField : List.of("id", "revision", "url", "_links", "createdBy", "createdOn", "modifiedBy",
        "modifiedOn", "isDeleted", "source", "properties")) {
      content.remove(serverField);
    }
    RestApi.write(response, 200, project.pipelines().createReleaseDefinition(name, content).json(), at);
  }

  /** What in a release definition names something the project lacks; null when nothing does. */
  private static String releaseDefinitionProblem(Project project, AdoSandbox.Identity identity, JsonNode body) {
    List<JsonNode> groups = new ArrayList<>();
    body.path("variableGroups").forEach(groups::add);
    for (JsonNode environment : body.path("environments")) {
      environment.path("variableGroups").forEach(groups::add);
      List<JsonNode> people = new ArrayList<>();
      people.add(environment.path("owner"));
      for (String approvals : List.of("preDeployApprovals", "postDeployApprovals")) {
        environment.path(approvals).path("approvals").forEach(a -> people.add(a.path("approver")));
      }
      for (JsonNode person : people) {
        String id = person.path("id").asText("");
        if (!id.isEmpty() && !id.equalsIgnoreCase(identity.id().toString()) && project.organization().members()
            .stream().noneMatch(name -> Identities.ref(project.organization(), name).path("id").asText()
                .equalsIgnoreCase(id))) {
          return "VS402904: Identity " + id + " of stage " + environment.path("name").asText()
              + " is not a user of the organization.";
        }
      }
      for (JsonNode phase : environment.path("deployPhases")) {
        int queue = phase.path("deploymentInput").path("queueId").asInt();
        if (queue != 0 && project.pipelines().findQueue(queue).isEmpty()) {
          return "VS402881: No agent queue found with identifier " + queue + ".";
        }
        for (JsonNode task : phase.path("workflowTasks")) {
          if (!known(project, task, "taskId")) {
            return "VS402885: Task group " + task.path("taskId").asText() + " does not exist.";
          }
        }
      }
    }
    for (JsonNode group : groups) {
      if (project.variableGroups().stream().noneMatch(g -> g.id() == group.asInt())) {
        return "VS402899: Variable group with id " + group.asInt() + " does not exist or is not authorized.";
      }
    }
    for (JsonNode artifact : body.path("artifacts")) {
      String definition = artifact.path("definitionReference").path("definition").path("id").asText();
      String sourceProject = artifact.path("definitionReference").path("project").path("id").asText();
      if ("Build".equals(artifact.path("type").asText()) && (!sourceProject.equals(project.id().toString())
          || project.buildDefinitions().stream().noneMatch(d -> Integer.toString(d.id()).equals(definition)))) {
        return "VS402877: Build definition " + definition + " of project " + sourceProject + " does not exist.";
      }
      if ("Git".equals(artifact.path("type").asText()) && project.repositories().stream()
          .noneMatch(r -> r.id().toString().equalsIgnoreCase(definition))) {
        return "VS402877: Repository " + definition + " does not exist in project " + project.name() + ".";
      }
    }
    return null;
  }

  /** Whether a step's {@code idField} names a task group of the project, or a plain task. */
  static boolean known(Project project, JsonNode step, String idField) {
    return !"metaTask".equals(step.path("definitionType").asText())
        || project.pipelines().findTaskGroup(step.path(idField).asText()).isPresent();
  }
}
