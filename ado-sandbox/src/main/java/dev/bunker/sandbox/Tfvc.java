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

  /** A branch: its path, its parent's (null for a root), and the changeset that made it. */
  record Branch(String path, String parent, int createdIn) {}

  /** A label: named versions of some items. */
  record Label(int id, String name, String owner, Map<String, Integer> items) {}

  private final Project project;
  private final List<Changeset> changesets = new CopyOnWriteArrayList<>();
  private final List<Branch> branches = new CopyOnWriteArrayList<>();
  private final List<Label> labels = new CopyOnWriteArrayList<>();

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
      String type =
          content == null ? "delete" : latest(path, Integer.MAX_VALUE).isPresent() ? "edit" : "add, edit, encoding";
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

  /** Makes folder {@code relativePath} a branch, of {@code parentRelativePath} (null for a root branch). */
  public synchronized Tfvc branch(String relativePath, String parentRelativePath) {
    branches.add(new Branch(root() + "/" + relativePath,
        parentRelativePath == null ? null : root() + "/" + parentRelativePath, changesets.size()));
    return this;
  }

  /** Labels the current version of each of {@code relativePaths}. */
  public synchronized Tfvc label(String name, String owner, String... relativePaths) {
    Map<String, Integer> items = new LinkedHashMap<>();
    for (String relative : relativePaths) {
      String path = root() + "/" + relative;
      items.put(path, versionOf(path, Integer.MAX_VALUE));
    }
    labels.add(new Label(project.organization().settings().nextLabel(), name, owner, items));
    return this;
  }

  List<Branch> branches() {
    return List.copyOf(branches);
  }

  List<Label> labels() {
    return List.copyOf(labels);
  }

  Optional<Label> label(int id) {
    return labels.stream().filter(l -> l.id() == id).findFirst();
  }

  ObjectNode branch(Branch branch, boolean children) {
    ObjectNode node = JSON.createObjectNode();
    node.put("path", branch.path());
    node.put("description", "");
    node.set("owner", Identities.ref(project.organization(), "Kim Lead"));
    node.put("createdDate", EPOCH.plus(Duration.ofHours(branch.createdIn())).toString());
    node.put("isDeleted", false);
    if (branch.parent() != null) {
      node.putObject("parent").put("path", branch.parent());
    }
    if (children) {
      branches.stream().filter(b -> branch.path().equals(b.parent()))
          .forEach(child -> node.withArray("children").add(branch(child, true)));
    }
    return node;
  }

  ObjectNode label(Label label) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", label.id());
    node.put("name", label.name());
    node.put("labelScope", root());
    node.set("owner", Identities.ref(project.organization(), label.owner()));
    node.put("modifiedDate", EPOCH.toString());
    node.put("url", project.organization().url() + "/_apis/tfvc/labels/" + label.id());
    return node;
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
