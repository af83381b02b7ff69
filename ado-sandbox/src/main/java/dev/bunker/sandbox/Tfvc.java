package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Team Foundation Version Control repository of a sandbox project ({@code $/{project}}): a
 * project that checks anything in reports TFVC as its version control in its capabilities.
 * Changeset numbers are unique across the organization, as in a TFVC collection.
 *
 * <pre>{@code
 * project.tfvc().checkIn("Kim Lead", "First version", Map.of("src/App.cs", "class App {}"));
 * }</pre>
 */
public final class Tfvc {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EPOCH = Instant.parse("2024-02-01T08:00:00Z");

  /** One change of a changeset: {@code content} null for a deletion. */
  record Change(String path, String changeType, byte[] content) {}

  record Changeset(int id, String author, String comment, Instant createdDate, List<Change> changes) {}

  private final Project project;
  private final List<Changeset> changesets = new CopyOnWriteArrayList<>();

  Tfvc(Project project) {
    this.project = project;
  }

  /** The server path of the project's root, {@code $/{project}}. */
  public String root() {
    return "$/" + project.name();
  }

  /**
   * Checks in text files, paths relative to the project root; a null content deletes the file.
   *
   * @return the changeset number
   */
  public int checkIn(String author, String comment, Map<String, String> files) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((path, text) -> bytes.put(path, text == null ? null : text.getBytes(StandardCharsets.UTF_8)));
    return checkInBytes(author, comment, bytes);
  }

  /** As {@link #checkIn}, with file contents as bytes. */
  public synchronized int checkInBytes(String author, String comment, Map<String, byte[]> files) {
    int id = project.organization().settings().nextChangeset();
    List<Change> changes = new ArrayList<>();
    files.forEach((relative, content) -> {
      String path = root() + "/" + relative;
      String type = content == null ? "delete" : latest(path, Integer.MAX_VALUE).isPresent() ? "edit" : "add, edit, encoding";
      changes.add(new Change(path, type, content));
    });
    changesets.add(new Changeset(id, author, comment, EPOCH.plus(Duration.ofHours(id)), List.copyOf(changes)));
    return id;
  }

  /** {@code count} changesets, each adding one file and editing a shared one, for paging. */
  public Tfvc history(int count) {
    for (int i = 1; i <= count; i++) {
      Map<String, String> files = new LinkedHashMap<>();
      files.put("src/File" + i + ".cs", "class File" + i + " {}\n");
      files.put("README.md", "# " + project.name() + "\nRevision " + i + "\n");
      checkIn("Generated Author", "Change " + i + ": " + "why it was needed. ".repeat(10), files);
    }
    return this;
  }

  /** Whether the project uses TFVC (has checked anything in). */
  public boolean isUsed() {
    return !changesets.isEmpty();
  }

  List<Changeset> changesets() {
    return List.copyOf(changesets);
  }

  Optional<Changeset> changeset(int id) {
    return changesets.stream().filter(c -> c.id() == id).findFirst();
  }

  /** The newest change of {@code path} in changeset {@code version} or before; empty when none or deleted. */
  Optional<Change> latest(String path, int version) {
    Change found = null;
    for (Changeset changeset : changesets) {
      if (changeset.id() > version) {
        break;
      }
      for (Change change : changeset.changes()) {
        if (change.path().equalsIgnoreCase(path)) {
          found = change;
        }
      }
    }
    return Optional.ofNullable(found).filter(change -> change.content() != null);
  }

  /** The changeset that last changed {@code path} in {@code version} or before. */
  int versionOf(String path, int version) {
    int found = 0;
    for (Changeset changeset : changesets) {
      if (changeset.id() <= version && changeset.changes().stream().anyMatch(c -> c.path().equalsIgnoreCase(path))) {
        found = changeset.id();
      }
    }
    return found;
  }

  ObjectNode reference(Changeset changeset, int maxCommentLength) {
    ObjectNode node = JSON.createObjectNode();
    node.put("changesetId", changeset.id());
    node.put("url", project.organization().url() + "/_apis/tfvc/changesets/" + changeset.id());
    node.set("author", Identities.ref(project.organization(), changeset.author()));
    node.set("checkedInBy", Identities.ref(project.organization(), changeset.author()));
    node.put("createdDate", changeset.createdDate().toString());
    String comment = changeset.comment();
    boolean truncated = comment.length() > maxCommentLength;
    node.put("comment", truncated ? comment.substring(0, maxCommentLength) : comment);
    if (truncated) {
      node.put("commentTruncated", true);
    }
    return node;
  }

  ObjectNode change(int changesetId, Change change) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode item = node.putObject("item");
    item.put("version", changesetId);
    item.put("path", change.path());
    if (change.content() != null) {
      item.put("size", change.content().length);
      item.put("hashValue", md5(change.content()));
    }
    item.put("url", project.organization().url() + "/_apis/tfvc/items/" + Paths.segment(change.path())
        + "?versionType=Changeset&version=" + changesetId);
    node.put("changeType", change.changeType());
    return node;
  }

  private static String md5(byte[] content) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JVM", e);
    }
  }
}
