package dev.bunker.ado.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.ado.SandboxMetadataTest;
import dev.bunker.ado.client.Calls;
import dev.bunker.metadata.MetadataBackup;
import dev.bunker.metadata.MetadataKind;
import dev.bunker.metadata.MetadataSnapshot;
import dev.bunker.metadata.MetadataStore;
import dev.bunker.metadata.MetadataZip;
import dev.bunker.metadata.TestBlobs;
import dev.bunker.sandbox.Organization;
import dev.bunker.sandbox.RecordedRequest;
import dev.bunker.store.blob.InMemoryBlobs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** A TFVC project's changesets and file versions, backed up from the sandbox over real HTTP. */
class TfvcMetadataTest extends SandboxMetadataTest {

  TfvcMetadataTest() {
    super(4);
  }

  /** 10 generated changesets (a new file and a README edit each), a binary file, a deletion. */
  private static dev.bunker.sandbox.Project aTfvcProject(String organizationName) {
    Organization organization = sandbox.organization(organizationName).pageSize(4);
    dev.bunker.sandbox.Project legacy = organization.project("Legacy");
    legacy.tfvc().history(10);
    Map<String, byte[]> binary = new LinkedHashMap<>();
    binary.put("lib/native.dll", new byte[] {0, 1, 2, (byte) 0xff, 0x7f});
    legacy.tfvc().checkInBytes("Kim Lead", "Vendor a native library", binary);
    Map<String, String> deletion = new LinkedHashMap<>();
    deletion.put("src/File1.cs", null);
    legacy.tfvc().checkIn("Kim Lead", "Remove the first file", deletion);
    legacy.tfvc().branch("src", null).branch("release", "src")
        .label("v1.0", "Kim Lead", "README.md", "lib/native.dll", "src/File2.cs", "src/File3.cs", "src/File4.cs");
    organization.project("Modern").repository("app").withCommits(1);
    return legacy;
  }

  private AzureDevOpsMetadata source(dev.bunker.sandbox.Project project) {
    return AzureDevOpsMetadata.of(client, url(project), pat, 4, 40);
  }

  private static List<RecordedRequest> tfvcCalls(dev.bunker.sandbox.Project project) {
    return sandbox.requests(r -> r.path().startsWith("/" + project.organization().path() + "/")
        && r.path().contains("/_apis/tfvc/"));
  }

  @Test
  void backsUpEveryChangesetWithEachFileAsItLeftIt() throws Exception {
    dev.bunker.sandbox.Project legacy = aTfvcProject("tfvc-full");
    Map<String, String> bulk = new LinkedHashMap<>();
    for (int i = 1; i <= 103; i++) {
      bulk.put("generated/Part" + i + ".cs", "partial class Part" + i + " {}\n");
    }
    legacy.tfvc().checkIn("Kim Lead", "More changes than one answer carries", bulk);
    MetadataStore store = new MetadataStore(TestBlobs.inMemory());

    MetadataSnapshot snapshot = new MetadataBackup(store, time)
        .backup("org1", ref(legacy), "20260301T010000Z-00000001", source(legacy));

    assertThat(snapshot.count(MetadataKind.TFVC_CHANGESET)).isEqualTo(13);
    assertThat(snapshot.count(MetadataKind.TFVC_FILE)).as("10 x (new file + README), the dll, 103 parts; not the"
        + " deletion").isEqualTo(21 + 103);
    assertThat(JSON.readTree(store.object("org1", snapshot.hash(MetadataKind.TFVC_CHANGESET, "13").orElseThrow()))
        .path("changes")).hasSize(103);
    assertThat(tfvcCalls(legacy)).filteredOn(r -> r.path().endsWith("/changes"))
        .as("only the large changeset pages its changes: 103, 4 a page, until an empty page").hasSize(27);
    assertThat(snapshot.notBackedUp()).extracting(o -> o.kind()).as("others' personal queries are never readable")
        .containsExactlyInAnyOrder("query", "tfvcShelvesets");
    JsonNode branches = JSON.readTree(store.object("org1", snapshot.hash(MetadataKind.TFVC_BRANCHES, "branches")
        .orElseThrow()));
    assertThat(branches).singleElement().satisfies(root -> {
      assertThat(root.path("path").asText()).isEqualTo("$/Legacy/src");
      assertThat(root.path("children").get(0).path("path").asText()).isEqualTo("$/Legacy/release");
    });
    JsonNode label = JSON.readTree(store.object("org1", snapshot.entries(MetadataKind.TFVC_LABEL).values().iterator()
        .next()));
    assertThat(label.path("label").path("name").asText()).isEqualTo("v1.0");
    assertThat(label.path("items")).as("5 items, 4 a page").extracting(i -> i.path("path").asText() + "@"
        + i.path("version").asInt()).containsExactly("$/Legacy/README.md@10", "$/Legacy/lib/native.dll@11",
            "$/Legacy/src/File2.cs@2", "$/Legacy/src/File3.cs@3", "$/Legacy/src/File4.cs@4");
    JsonNode changeset = JSON.readTree(store.object("org1", snapshot.hash(MetadataKind.TFVC_CHANGESET, "3")
        .orElseThrow()));
    assertThat(changeset.path("changeset").path("comment").asText()).as("the whole comment, not a list's 80")
        .hasSizeGreaterThan(80).startsWith("Change 3: ");
    assertThat(changeset.path("changes")).extracting(c -> c.path("item").path("path").asText())
        .containsExactly("$/Legacy/src/File3.cs", "$/Legacy/README.md");
    assertThat(new String(store.object("org1", snapshot.hash(MetadataKind.TFVC_FILE, "3/Legacy/README.md")
        .orElseThrow()), StandardCharsets.UTF_8)).isEqualTo("# Legacy\nRevision 3\n");
    assertThat(store.object("org1", snapshot.hash(MetadataKind.TFVC_FILE, "11/Legacy/lib/native.dll").orElseThrow()))
        .containsExactly(0, 1, 2, 0xff, 0x7f);
    assertThat(snapshot.entries(MetadataKind.TFVC_FILE)).doesNotContainKey("12/Legacy/src/File1.cs");
    assertThat(tfvcCalls(legacy)).filteredOn(r -> r.path().endsWith("/tfvc/changesets"))
        .as("13 changesets, 4 a page, until an empty page").hasSize(5);

    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    MetadataZip.write(store, snapshot, zip);
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
      }
    }
    assertThat(names).contains("tfvcChangeset/3.json", "tfvcFile/11/Legacy/lib/native.dll");
  }

  @Test
  void aSecondRunReadsOnlyNewChangesetsAndStoresNothingElse() {
    dev.bunker.sandbox.Project legacy = aTfvcProject("tfvc-incremental");
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataBackup backup = new MetadataBackup(new MetadataStore(blobs), time);
    MetadataSnapshot first = backup.backup("org1", ref(legacy), "20260301T010000Z-00000001", source(legacy));

    sandbox.clearRequests();
    int writes = TestBlobs.count(blobs);
    MetadataSnapshot second = backup.backup("org1", ref(legacy), "20260302T010000Z-00000002", source(legacy));
    assertThat(TestBlobs.count(blobs) - writes).as("only the manifest").isEqualTo(1);
    assertThat(second.entries()).isEqualTo(first.entries());
    assertThat(tfvcCalls(legacy)).as("no changeset, change or file read again")
        .noneMatch(r -> r.path().matches(".*/tfvc/(changesets/\\d+.*|items)"));

    legacy.tfvc().checkIn("Sam Developer", "Fix the README", Map.of("README.md", "# Legacy\nFixed\n"));
    sandbox.clearRequests();
    MetadataSnapshot third = backup.backup("org1", ref(legacy), "20260303T010000Z-00000003", source(legacy));
    assertThat(third.count(MetadataKind.TFVC_CHANGESET)).isEqualTo(13);
    assertThat(third.stats().objectsWritten()).as("the changeset and the README it changed").isEqualTo(2);
    assertThat(tfvcCalls(legacy)).filteredOn(r -> r.path().contains("/tfvc/items")).hasSize(1);
  }

  @Test
  void filesTooLargeToReadAreListedInEverySnapshotAndTheRestIsKept() {
    dev.bunker.sandbox.Project legacy = aTfvcProject("tfvc-large");
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      Calls calls = new Calls(client.exchange(),
          url(legacy), pat, pool);
      // 16 bytes: the source files fit, no README revision (20 or 21 bytes) does.
      dev.bunker.metadata.MetadataSource tfvcOnly =
          (project, sink) -> new TfvcExport(calls, 4, 16).export(project, sink);
      MetadataBackup backup = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time);
      MetadataSnapshot first = backup.backup("org1", ref(legacy), "20260301T010000Z-00000001", tfvcOnly);

      assertThat(first.notBackedUp()).filteredOn(o -> o.kind().equals("tfvcFile")).hasSize(10).allSatisfy(omission -> {
        assertThat(omission.id()).endsWith("/Legacy/README.md");
        assertThat(omission.reason()).containsPattern("2[01] bytes, more than the 16 bytes");
      });
      assertThat(first.count(MetadataKind.TFVC_FILE)).isEqualTo(11);
      assertThat(first.count(MetadataKind.TFVC_NOT_BACKED_UP)).isEqualTo(10);

      sandbox.clearRequests();
      MetadataSnapshot second = backup.backup("org1", ref(legacy), "20260302T010000Z-00000002", tfvcOnly);
      assertThat(second.notBackedUp()).isEqualTo(first.notBackedUp());
      assertThat(second.entries()).isEqualTo(first.entries());
      assertThat(tfvcCalls(legacy)).filteredOn(r -> r.path().matches(".*/tfvc/changesets/\\d+"))
          .as("the changesets with files left out, read again").hasSize(10);
      assertThat(tfvcCalls(legacy)).noneMatch(r -> r.path().endsWith("/tfvc/items"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aGitProjectHasNoTfvcHistoryAndAskedOnlyForItsCapabilities() {
    dev.bunker.sandbox.Project modern = aTfvcProject("tfvc-mixed").organization().project("Modern");

    MetadataSnapshot snapshot = new MetadataBackup(new MetadataStore(TestBlobs.inMemory()), time)
        .backup("org1", ref(modern), "20260301T010000Z-00000001", source(modern));

    assertThat(snapshot.count(MetadataKind.TFVC_CHANGESET)).isZero();
    assertThat(snapshot.notBackedUp()).noneMatch(o -> o.kind().equals("tfvc"));
    assertThat(tfvcCalls(modern)).isEmpty();
  }
}
