package dev.bunker.core.model;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Project and repository name patterns: {@code *} matches any run of characters, {@code ?} one
 * character, case-insensitively (Azure DevOps names are). A repository pattern containing {@code /}
 * matches {@code project/repository}, otherwise the repository name alone.
 */
public record Patterns(List<String> projects, List<String> repositories) {
  public static final Patterns ALL = new Patterns(List.of("*"), List.of("*"));
  public static final Patterns NONE = new Patterns(List.of(), List.of());

  public Patterns {
    projects = List.copyOf(projects);
    repositories = List.copyOf(repositories);
  }

  public boolean matchesProject(String project) {
    return projects.stream().anyMatch(glob -> glob(glob, project));
  }

  public boolean matchesRepository(String project, String repository) {
    return repositories.stream()
        .anyMatch(glob -> glob(glob, glob.contains("/") ? project + "/" + repository : repository));
  }

  static boolean glob(String glob, String text) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
        .matcher(text)
        .matches();
  }
}
