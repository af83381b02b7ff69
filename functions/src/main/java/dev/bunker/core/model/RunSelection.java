package dev.bunker.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Narrows a manual run to some projects (by name) and repositories (by id or name); an empty or
 * missing list means no narrowing on that axis.
 */
public record RunSelection(List<String> projects, List<String> repositories) {
  public static final RunSelection EVERYTHING = new RunSelection(List.of(), List.of());
  public static final int MAX_ENTRIES = 100;

  public RunSelection {
    // not List.copyOf: a null entry must reach validation and come back as a field error
    projects = projects == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(projects));
    repositories = repositories == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(repositories));
  }

  public static RunSelection validated(RunSelection input) {
    if (input == null) {
      return EVERYTHING;
    }
    Problems problems = new Problems();
    check(input.projects(), "projects", problems);
    check(input.repositories(), "repositories", problems);
    problems.throwIfAny();
    return input;
  }

  public boolean selects(Repository repository) {
    return (projects.isEmpty() || containsIgnoringCase(projects, repository.project()))
        && (repositories.isEmpty()
            || repositories.contains(repository.id())
            || containsIgnoringCase(repositories, repository.name()));
  }

  /** Whether the run backs up {@code project}'s metadata: not when it names repositories. */
  public boolean selectsMetadataOf(String project) {
    return repositories.isEmpty() && (projects.isEmpty() || containsIgnoringCase(projects, project));
  }

  /** Whether the run backs up the organization's own metadata: only when it is not narrowed at all. */
  public boolean selectsOrganizationMetadata() {
    return projects.isEmpty() && repositories.isEmpty();
  }

  private static boolean containsIgnoringCase(List<String> names, String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    return names.stream().anyMatch(candidate -> candidate.toLowerCase(Locale.ROOT).equals(wanted));
  }

  private static void check(List<String> names, String field, Problems problems) {
    if (names.size() > MAX_ENTRIES) {
      problems.add(field, "must have at most " + MAX_ENTRIES + " entries");
      return;
    }
    for (int i = 0; i < names.size(); i++) {
      problems.requireText(field + "[" + i + "]", names.get(i), 256);
    }
  }
}
