package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.HostedRepository;
import dev.bunker.sandbox.Organization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshots are points in time: history rewritten or deleted at the source changes the next
 * snapshot only, and an old snapshot still gives back, and restores, what the source had then.
 */
@ExtendWith(Stack.Extension.class)
@Order(3)
class PointInTimeIT {
  private static final Set<String> FINISHED = Set.of("succeeded", "failed");

  private final Stack stack;

  PointInTimeIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void anOldSnapshotKeepsWhatAForcePushAndDeletionsRemovedAndRestoresIntoANewRepository() throws IOException {
    Organization source = stack.sandbox.organization("history");
    HostedRepository app = source.project("Product").repository("app").withCommits(3).withBranches(2)
        .withTag("v1").withAnnotatedTag("v2");
    String pat = stack.newPat();
    String id = stack.api.registerWithPat(source.url().toString(), pat, null).get("id").asText();

    JsonNode before = Sources.resultOf(stack.api.backUpNow(id), app);
    Map<String, String> oldRefs = Sources.refs(app);

    // force-push main to a rewritten history, delete a branch and a tag
    ObjectId oldMain = app.git().resolve("refs/heads/main~1");
    app.resetBranch("main", oldMain);
    app.commit("main", "rewritten.txt", "history was rewritten\n");
    delete(app, "refs/heads/feature/2");
    delete(app, "refs/tags/v1");
    Map<String, String> newRefs = Sources.refs(app);
    assertThat(newRefs).isNotEqualTo(oldRefs).doesNotContainKeys("refs/heads/feature/2", "refs/tags/v1");

    // the second backup may start in the same second: snapshot ids name their run's start to the
    // millisecond, so the listing below is newest first all the same
    JsonNode after = Sources.resultOf(stack.api.backUpNow(id), app);
    String repositoryId = after.get("repositoryId").asText();
    String oldSnapshot = before.get("snapshotId").asText();
    String newSnapshot = after.get("snapshotId").asText();
    assertThat(stack.api.snapshotRefs(id, repositoryId, newSnapshot)).isEqualTo(newRefs);
    assertThat(stack.api.snapshotRefs(id, repositoryId, oldSnapshot)).isEqualTo(oldRefs);
    assertThat(Api.expect(200, stack.api.get("/api/organizations/" + id + "/repositories/" + repositoryId
        + "/snapshots"))).extracting(snapshot -> snapshot.get("id").asText()).containsExactly(newSnapshot, oldSnapshot);

    Path directory = stack.directory("point-in-time");
    String oldPath = Api.snapshotPath(id, repositoryId, oldSnapshot);
    String newPath = Api.snapshotPath(id, repositoryId, newSnapshot);
    Map<String, Path> bundles = stack.api.downloadBundles(List.of(oldPath, newPath), directory);
    CGit.cloneMirror(bundles.get(oldPath), directory.resolve("old.git"));
    CGit.cloneMirror(bundles.get(newPath), directory.resolve("new.git"));
    assertThat(CGit.refs(directory.resolve("old.git"))).isEqualTo(oldRefs);
    assertThat(CGit.refs(directory.resolve("new.git"))).isEqualTo(newRefs);
    CGit.fsck(directory.resolve("old.git"));

    JsonNode restore = Api.expect(202, stack.api.post("/api/organizations/" + id + "/restores", Map.of(
        "repositoryId", repositoryId, "snapshotId", oldSnapshot,
        "target", Map.of("project", "Product", "repository", "app-restored", "create", true))));
    JsonNode done = Waiting.until("restore " + restore.get("id"), Duration.ofSeconds(60),
        () -> Api.expect(200, stack.api.get("/api/organizations/" + id + "/restores/" + restore.get("id").asText())),
        status -> FINISHED.contains(status.get("status").asText()));
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    HostedRepository restored = source.project("Product").repository("app-restored");
    assertThat(CGit.lsRemote(restored.remoteUrl(), pat)).isEqualTo(oldRefs);
  }

  private static void delete(HostedRepository repository, String ref) throws IOException {
    RefUpdate update = repository.git().updateRef(ref);
    update.setForceUpdate(true);
    RefUpdate.Result result = update.delete();
    assertThat(result).isIn(RefUpdate.Result.FORCED, RefUpdate.Result.NO_CHANGE, RefUpdate.Result.FAST_FORWARD);
  }
}
