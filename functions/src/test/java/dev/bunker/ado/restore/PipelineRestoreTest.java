package dev.bunker.ado.restore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.export.PipelineMetadataTest;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.RestoreReport;
import dev.bunker.sandbox.Project;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Restoring a project's pipelines into an empty sandbox project, checked by backing that project up. */
class PipelineRestoreTest extends SandboxMetadataTest {

  PipelineRestoreTest() {
    super(2);
  }

  @Test
  void restoresPipelinesIntoAnEmptyProjectMappingEveryIdThatChanges() throws Exception {
    Project source = PipelineMetadataTest.aProject(sandbox.organization("restore").project("Web"));
    MetadataSnapshot backedUp = backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("restore").project("Rebuilt");
    target.repository("Web");
    target.variableGroup("made-here-before");
    target.pipelines().queue("Linux agents");
    sandbox.faults().throttleNext(1, Duration.ofSeconds(2));

    RestoreReport report = restore(source, "20260301T010000Z-00000001", target);

    assertThat(report.created()).containsEntry("variableGroup", 1).containsEntry("taskGroup", 2)
        .containsEntry("buildDefinition", 2).containsEntry("releaseDefinition", 2);
    assertThat(report.notes())
        .anyMatch(n -> n.contains("dbPassword") && n.contains("variable group shared") && n.contains("needs a value"))
        .anyMatch(n -> n.contains("apiKey") && n.contains("Release web") && n.contains("needs a value"))
        .anyMatch(n -> n.contains("dbPassword") && n.contains("stage Production"))
        .anyMatch(n -> n.contains("service connection prod-subscription") && n.contains("not restored"))
        .anyMatch(n -> n.contains("environments (3)"));
    assertThat(JSON.writeValueAsString(report)).doesNotContain(PipelineMetadataTest.SECRETS);

    MetadataSnapshot restored = backup(target, "20260302T010000Z-00000002");
    assertThat(restored.counts()).containsEntry("releaseDefinition", 2).containsEntry("taskGroup", 2)
        .containsEntry("buildDefinition", 2).containsEntry("variableGroup", 2);
    Names before = names(backedUp);
    Names after = names(restored);
    assertThat(after.variableGroups.get(2)).as("ids changed, so mapping mattered").isEqualTo("shared");
    for (String kind : List.of("releaseDefinition", "buildDefinition", "taskGroup")) {
      for (String id : backedUp.entries(MetadataKind.ofKey(kind)).keySet()) {
        JsonNode original = document(backedUp, MetadataKind.ofKey(kind), id);
        JsonNode copy = byName(restored, MetadataKind.ofKey(kind), original.path("name").asText());
        assertThat(shape(copy, after)).as(kind + " " + original.path("name").asText())
            .isEqualTo(shape(original, before)).isNotEmpty();
      }
    }
    JsonNode release = byName(restored, MetadataKind.RELEASE_DEFINITION, "Release web");
    JsonNode artifact = release.path("artifacts").get(0).path("definitionReference");
    assertThat(artifact.path("project").path("id").asText()).isEqualTo(target.id().toString());
    assertThat(document(restored, MetadataKind.BUILD_DEFINITION, artifact.path("definition").path("id").asText())
        .path("name").asText()).isEqualTo("ci");
    JsonNode hotfix = byName(restored, MetadataKind.RELEASE_DEFINITION, "Hotfix").path("artifacts").get(0);
    assertThat(hotfix.path("definitionReference").path("definition").path("id").asText())
        .isEqualTo(target.repository("Web").id().toString()).isNotEqualTo(source.repository("Web").id().toString());
    assertThat(target.pipelines().releaseDefinitions().get(0).content().path("variables").path("apiKey")
        .path("isSecret").asBoolean()).isTrue();
    PipelineMetadataTest.assertNoSecretStored(store, restored);
  }

  @Test
  void restoringTwiceLeavesWhatExistsAloneAndMapsToIt() {
    Project source = PipelineMetadataTest.aProject(sandbox.organization("restore-twice").project("Web"));
    backup(source, "20260301T010000Z-00000001");
    Project target = sandbox.organization("restore-twice").project("Copy");
    target.repository("Web");
    target.pipelines().queue("Linux agents");
    restore(source, "20260301T010000Z-00000001", target);

    RestoreReport again = restore(source, "20260301T010000Z-00000001", target);

    assertThat(again.created()).doesNotContainKeys("variableGroup", "taskGroup", "buildDefinition",
        "releaseDefinition");
    assertThat(again.skipped()).anyMatch(n -> n.startsWith("task group Deploy site:"))
        .anyMatch(n -> n.startsWith("release definition Release web:"));
    assertThat(target.pipelines().releaseDefinitions()).hasSize(2);
  }

  /** Names of what definitions refer to by id, in one snapshot. */
  private record Names(Map<String, String> taskGroups, Map<Integer, String> queues,
      Map<Integer, String> variableGroups) {}

  private Names names(MetadataSnapshot snapshot) throws Exception {
    Names names = new Names(new HashMap<>(), new HashMap<>(), new HashMap<>());
    for (String id : snapshot.entries(MetadataKind.TASK_GROUP).keySet()) {
      names.taskGroups.put(id, document(snapshot, MetadataKind.TASK_GROUP, id).path("name").asText());
    }
    for (String id : snapshot.entries(MetadataKind.AGENT_QUEUE).keySet()) {
      names.queues.put(Integer.parseInt(id), document(snapshot, MetadataKind.AGENT_QUEUE, id).path("name").asText());
    }
    for (String id : snapshot.entries(MetadataKind.VARIABLE_GROUP).keySet()) {
      names.variableGroups.put(Integer.parseInt(id),
          document(snapshot, MetadataKind.VARIABLE_GROUP, id).path("name").asText());
    }
    return names;
  }

  /**
   * What a definition or task group says, with every id it refers to replaced by that thing's
   * name: equal shapes mean the restore reproduced it.
   */
  private static List<String> shape(JsonNode node, Names names) {
    List<String> shape = new ArrayList<>();
    node.path("variables").properties().forEach(v -> shape.add("variable " + v.getKey() + "="
        + v.getValue().path("value").asText() + (v.getValue().path("isSecret").asBoolean() ? " (secret)" : "")));
    node.path("variableGroups")
        .forEach(g -> shape.add("group " + names.variableGroups.get(g.path("id").asInt(g.asInt()))));
    shape.add("queue " + names.queues.get(node.path("queue").path("id").asInt()));
    node.path("process").path("phases").forEach(p -> p.path("steps").forEach(s -> shape.add("step "
        + names.taskGroups.getOrDefault(s.path("task").path("id").asText(), s.path("task").path("id").asText()))));
    node.path("tasks").forEach(s -> shape.add("task " + s.path("displayName").asText() + " "
        + names.taskGroups.getOrDefault(s.path("task").path("id").asText(), s.path("task").path("id").asText())));
    shape.add("process " + node.path("process").path("yamlFilename").asText());
    for (JsonNode stage : node.path("environments")) {
      shape.add("stage " + stage.path("name").asText());
      stage.path("variables").properties().forEach(v -> shape.add("stage variable " + v.getKey()));
      for (JsonNode phase : stage.path("deployPhases")) {
        shape.add("on " + names.queues.get(phase.path("deploymentInput").path("queueId").asInt()));
        phase.path("workflowTasks").forEach(t -> shape.add("runs " + names.taskGroups.get(t.path("taskId").asText())));
      }
    }
    node.path("artifacts").forEach(a -> shape.add("artifact " + a.path("type").asText() + " " + a.path("alias").asText()
        + " " + a.path("definitionReference").path("definition").path("name").asText()));
    return shape;
  }

  private JsonNode byName(MetadataSnapshot snapshot, MetadataKind kind, String name) throws Exception {
    for (String id : snapshot.entries(kind).keySet()) {
      JsonNode document = document(snapshot, kind, id);
      if (document.path("name").asText().equals(name)) {
        return document;
      }
    }
    throw new AssertionError("no " + kind.key() + " named " + name);
  }

}
