package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import java.net.URI;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What JGit logs during a backup reaches the function's log (through SLF4J into java.util.logging)
 * with the ids of the run, organization and repository it concerns, so one query follows a run.
 */
@ExtendWith(Stack.Extension.class)
@Order(6)
class LogsIT {
  private final Stack stack;

  LogsIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void aRedirectJGitFollowsDuringAFetchIsLoggedWithTheRunAndRepositoryIds() {
    Organization source = stack.sandbox.organization("logs");
    HostedRepository site = source.project("Web").repository("site").withCommits(2);
    URI infoRefs = URI.create(site.remoteUrl() + "/info/refs?service=git-upload-pack");
    JsonNode organization = stack.api.registerWithPat(source.url().toString(), stack.newPat(), null);
    String organizationId = organization.get("id").asText();
    // One 302 back to the same address: JGit follows it and logs that it did (at INFO).
    stack.sandbox.faults().onPaths(path -> path.equals(infoRefs.getPath())).redirectNext(1, infoRefs);
    JsonNode run;
    try {
      run = stack.api.backUpNow(organizationId);
    } finally {
      stack.sandbox.faults().clear();
    }

    JsonNode result = Sources.resultOf(run, site);
    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("succeeded");
    String ids = "organizationId=" + organizationId + " runId=" + run.get("id").asText() + " repositoryId="
        + result.get("repositoryId").asText();
    assertThat(stack.devhost.log().lines()
        .filter(line -> line.contains("org.eclipse.jgit") && line.contains("following HTTP redirect")))
        .as("JGit's redirect line in " + stack.devhost.logFile())
        .anySatisfy(line -> assertThat(line).contains("[" + ids + "]"));
  }
}
