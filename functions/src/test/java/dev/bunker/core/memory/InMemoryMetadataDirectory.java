package dev.bunker.core.memory;

import dev.bunker.core.model.SourceAccess;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.port.MetadataDirectory;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSource;
import dev.bunker.metadata.MetadataTarget;
import dev.bunker.metadata.ProjectRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Projects whose metadata is one work item each, and an organization whose own metadata is one
 * document per project, for domain tests of runs (the exporters are tested
 * against the sandbox, through the real client). None until {@link #project} adds one.
 */
public final class InMemoryMetadataDirectory implements MetadataDirectory {
  private final List<ProjectRef> projects = new CopyOnWriteArrayList<>();
  private final Map<String, SourceException> failures = new ConcurrentHashMap<>();

  public ProjectRef project(String id, String name) {
    ProjectRef project = new ProjectRef(id, name);
    projects.add(project);
    return project;
  }

  /** Reading {@code projectId}'s metadata fails with {@code failure}. */
  public void failing(String projectId, SourceException failure) {
    failures.put(projectId, failure);
  }

  @Override
  public List<ProjectRef> projects(SourceAccess access) {
    return List.copyOf(projects);
  }

  @Override
  public MetadataSource reader(SourceAccess access) {
    return (project, sink) -> {
      if (failures.containsKey(project.id())) {
        throw failures.get(project.id());
      }
      if (project.isOrganization()) {
        projects.forEach(p -> sink.put(MetadataKind.PROJECT, p.id(), ("{\"name\":\"" + p.name() + "\"}")
            .getBytes(StandardCharsets.UTF_8)));
        return;
      }
      sink.put(MetadataKind.WORK_ITEM, "1", ("{\"project\":\"" + project.name() + "\"}")
          .getBytes(StandardCharsets.UTF_8));
    };
  }

  @Override
  public MetadataTarget writer(SourceAccess access) {
    throw new UnsupportedOperationException("restores are tested against the sandbox");
  }
}
