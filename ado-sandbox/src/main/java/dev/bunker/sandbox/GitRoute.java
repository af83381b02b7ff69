package dev.bunker.sandbox;

import java.util.Optional;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;

/**
 * Where a git URL points: {@code {organization}/{project}/_git/{repository}}, or
 * {@code {organization}/_git/{repository}} for a repository named like its project.
 */
record GitRoute(Organization organization, HostedRepository repository) {

  static final String MARKER = "/_git/";

  /** Resolves a decoded request path (without the git service suffix), or empty when unknown. */
  static Optional<GitRoute> find(AdoSandbox sandbox, String path) {
    int marker = path.indexOf(MARKER);
    if (marker < 0) {
      return Optional.empty();
    }
    String before = path.substring(0, marker);
    String repositoryName = path.substring(marker + MARKER.length()).split("/", 2)[0];
    if (repositoryName.endsWith(".git")) {
      repositoryName = repositoryName.substring(0, repositoryName.length() - 4);
    }
    String name = repositoryName;
    Optional<Organization> byWholePath = sandbox.organizationByPath(before.replaceFirst("^/", ""));
    if (byWholePath.isPresent()) {
      Organization organization = byWholePath.get();
      return organization.findProject(name)
          .map(p -> p.find(name))
          .map(r -> new GitRoute(organization, r));
    }
    int slash = before.lastIndexOf('/');
    if (slash <= 0) {
      return Optional.empty();
    }
    String projectName = before.substring(slash + 1);
    return sandbox.organizationByPath(before.substring(0, slash).replaceFirst("^/", ""))
        .flatMap(o -> o.findProject(projectName)
            .map(p -> p.find(name))
            .map(r -> new GitRoute(o, r)));
  }

  /** For JGit's GitServlet, which closes what it opens: hand out one more use of the repository. */
  static Repository open(AdoSandbox sandbox, String name) throws RepositoryNotFoundException {
    GitRoute route = find(sandbox, "/" + name).orElseThrow(() -> new RepositoryNotFoundException(name));
    Repository git = route.repository().git();
    git.incrementOpen();
    return git;
  }
}
