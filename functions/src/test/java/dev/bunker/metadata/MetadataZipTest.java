package dev.bunker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class MetadataZipTest {
  private final MetadataStore store = new MetadataStore(TestBlobs.inMemory());

  @Test
  void holdsTheSummaryAndEveryDocumentUnderItsKind() throws Exception {
    SnapshotWriter writer = store.begin("org1", "p1", "Web", "20260301T010000Z-00000001",
        Instant.parse("2026-03-01T01:00:00Z"), Optional.empty());
    writer.put(MetadataKind.WORK_ITEM, "7", bytes("{\"id\":7}"));
    writer.put(MetadataKind.PULL_REQUEST, "repo-1/3", bytes("{\"pullRequestId\":3}"));
    writer.put(MetadataKind.ATTACHMENT, "a1", new byte[] {0, 1, 2});
    writer.omit("variableGroupSecret", "1/dbPassword", "Azure DevOps never returns secret values");
    MetadataSnapshot snapshot = writer.commit();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MetadataZip.write(store, snapshot, out);

    Map<String, byte[]> entries = new TreeMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    }
    assertThat(entries).containsOnlyKeys("snapshot.json", "workItem/7.json", "pullRequest/repo-1/3.json",
        "attachment/a1");
    assertThat(new String(entries.get("snapshot.json"), StandardCharsets.UTF_8))
        .contains("\"workItem\":1", "dbPassword", "never returns secret values");
    assertThat(entries.get("attachment/a1")).containsExactly(0, 1, 2);
  }

  @Test
  void idsThatMakeTheSameFileNameGetDistinctEntries() throws Exception {
    SnapshotWriter writer = store.begin("org1", "p1", "Web", "20260301T010000Z-00000001",
        Instant.parse("2026-03-01T01:00:00Z"), Optional.empty());
    writer.put(MetadataKind.PULL_REQUEST, "repo 1/3", bytes("{\"spelling\":\"space\"}"));
    writer.put(MetadataKind.PULL_REQUEST, "repo:1/3", bytes("{\"spelling\":\"colon\"}"));
    writer.put(MetadataKind.PULL_REQUEST, "REPO_1/3", bytes("{\"spelling\":\"upper\"}"));
    MetadataSnapshot snapshot = writer.commit();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    MetadataZip.write(store, snapshot, out);

    Map<String, String> entries = new TreeMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    entries.remove("snapshot.json");
    assertThat(entries).hasSize(3);
    assertThat(entries.keySet()).allMatch(name -> name.matches("pullRequest/(repo_1|REPO_1)/3(~[23])?\\.json"));
    assertThat(entries.values()).containsExactlyInAnyOrder(
        "{\"spelling\":\"space\"}", "{\"spelling\":\"colon\"}", "{\"spelling\":\"upper\"}");
  }

  @Test
  void documentIdsNeverLeaveTheirFolder() {
    assertThat(MetadataZip.fileName("repo/12")).isEqualTo("repo/12");
    assertThat(MetadataZip.fileName("../../etc/passwd")).isEqualTo("_/_/etc/passwd");
    assertThat(MetadataZip.fileName("/abs//x/..")).isEqualTo("abs/x/_");
    assertThat(MetadataZip.fileName("a b:c")).isEqualTo("a_b_c");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
