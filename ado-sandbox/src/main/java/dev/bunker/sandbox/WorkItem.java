package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One work item of a sandbox project: every revision's fields, its relations (links and
 * attachments) and comments. Changing it adds a revision, as Azure DevOps does.
 */
public final class WorkItem {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A discussion comment, written as {@code System.History} in work item revision {@code revision}
   * (how Server 2019's comments API, wit/5.0 "Get Comments", finds and numbers them).
   */
  record Comment(int id, int version, String text, String author, Instant created, Instant modified, int revision) {}

  private final WorkItems owner;
  private final int id;
  private final List<ObjectNode> revisions = new ArrayList<>();
  private final ArrayNode relations = JSON.createArrayNode();
  private final List<Comment> comments = new ArrayList<>();

  WorkItem(WorkItems owner, int id) {
    this.owner = owner;
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** The current revision number. */
  public synchronized int rev() {
    return revisions.size();
  }

  /** A field of the current revision, e.g. {@code System.Title}. */
  public synchronized JsonNode field(String referenceName) {
    return revisions.get(revisions.size() - 1).path(referenceName);
  }

  /** Sets a field in a new revision. */
  public WorkItem update(String referenceName, String value) {
    return change("Sandbox User", fields -> fields.put(referenceName, value));
  }

  /** Assigns the work item to a person (by display name) in a new revision. */
  public WorkItem assign(String displayName) {
    return change("Sandbox User", fields -> fields.set("System.AssignedTo",
        Identities.ref(owner.project().organization(), displayName)));
  }

  /** Adds a comment (a new revision with the comment in {@code System.History}). */
  public WorkItem comment(String author, String text) {
    return change(author, fields -> fields.put("System.History", text));
  }

  /**
   * Edits comment {@code commentId}: its text, version and modified date change, but, as in Azure
   * DevOps, the work item gets no new revision.
   */
  public synchronized WorkItem editComment(int commentId, String text) {
    Comment old = comments.get(commentId - 1);
    comments.set(commentId - 1, new Comment(old.id(), old.version() + 1, text, old.author(), old.created(), owner.now(),
        old.revision()));
    return this;
  }

  /** Attaches a file (a new revision with an {@code AttachedFile} relation). */
  public synchronized WorkItem attach(String fileName, byte[] content) {
    UUID attachment = owner.storeAttachment(fileName, content);
    addAttachmentRelation(attachment, fileName, content.length, owner.now());
    return change("Sandbox User", this::putRelationCounts);
  }

  /** Attaches a file read from {@code file} when downloaded (one larger than memory), in a new revision. */
  public synchronized WorkItem attach(String fileName, java.nio.file.Path file) {
    UUID attachment = owner.storeAttachment(fileName, file);
    try {
      addAttachmentRelation(attachment, fileName, java.nio.file.Files.size(file), owner.now());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the size of " + file, e);
    }
    return change("Sandbox User", this::putRelationCounts);
  }

  /** Links to another work item, e.g. {@code System.LinkTypes.Related}. */
  public synchronized WorkItem link(String relation, int otherId) {
    addLink(relation, otherId);
    return change("Sandbox User", this::putRelationCounts);
  }

  /** Sets the current revision's relation counts after relations were added with it (a creation or update). */
  synchronized void countRelations() {
    change("Sandbox User", this::putRelationCounts, false);
  }

  /**
   * The relation count fields each revision carries, as Azure DevOps keeps them (wit/7.1/httpExamples/
   * fields/GET__wit_fields.json: System.RelatedLinkCount, System.ExternalLinkCount, System.HyperLinkCount,
   * System.AttachedFileCount; processes/7.1/httpExamples/fields/: System.RemoteLinkCount), set when non-zero.
   */
  private void putRelationCounts(ObjectNode fields) {
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (JsonNode relation : relations) {
      counts.merge(countField(relation.path("rel").asText()), 1, Integer::sum);
    }
    counts.forEach(fields::put);
  }

  /** The count field a relation of type {@code rel} counts in. */
  static String countField(String rel) {
    return switch (rel) {
      case "AttachedFile" -> "System.AttachedFileCount";
      case "Hyperlink" -> "System.HyperLinkCount";
      case "ArtifactLink" -> "System.ExternalLinkCount";
      default -> rel.startsWith("System.LinkTypes.Remote") ? "System.RemoteLinkCount" : "System.RelatedLinkCount";
    };
  }

  interface FieldChange {
    void apply(ObjectNode fields);
  }

  synchronized WorkItem change(String author, FieldChange change) {
    return change(author, change, true);
  }

  /**
   * Applies {@code change} in a new revision, or (for a creation's fields) to the first one. A
   * {@code System.History} value it writes is a comment, as in Azure DevOps (Learn: "Work Items -
   * Update" adds a discussion comment through {@code /fields/System.History}).
   */
  synchronized WorkItem change(String author, FieldChange change, boolean newRevision) {
    ObjectNode fields;
    String historyBefore;
    if (!newRevision) {
      fields = revisions.get(revisions.size() - 1);
      historyBefore = fields.path("System.History").asText("");
      change.apply(fields);
    } else {
      fields = revisions.get(revisions.size() - 1).deepCopy();
      fields.remove("System.History");
      historyBefore = "";
      fields.put("System.Rev", revisions.size() + 1);
      fields.put("System.ChangedDate", owner.now().toString());
      fields.set("System.ChangedBy", Identities.ref(owner.project().organization(), author));
      change.apply(fields);
      revisions.add(fields);
      owner.revised(id, revisions.size(), Instant.parse(fields.path("System.ChangedDate").asText()));
    }
    String history = fields.path("System.History").asText("");
    if (!history.isEmpty() && !history.equals(historyBefore)) {
      Instant at = Instant.parse(fields.path("System.ChangedDate").asText(owner.now().toString()));
      comments.add(new Comment(comments.size() + 1, 1, history, author, at, at, revisions.size()));
      fields.put("System.CommentCount", comments.size());
    }
    return this;
  }

  synchronized void addRevision(ObjectNode fields) {
    revisions.add(fields);
  }

  synchronized void addComment(Comment comment) {
    comments.add(comment);
  }

  synchronized void addLink(String relation, int otherId) {
    ObjectNode link = relations.addObject();
    link.put("rel", relation);
    link.put("url", owner.project().organization().url() + "/_apis/wit/workItems/" + otherId);
    link.putObject("attributes").put("isLocked", false).put("name", relation.substring(relation.lastIndexOf('.') + 1));
  }

  synchronized void addAttachmentRelation(UUID attachment, String fileName, long size, Instant at) {
    ObjectNode link = relations.addObject();
    link.put("rel", "AttachedFile");
    link.put("url", owner.project().organization().url() + "/_apis/wit/attachments/" + attachment);
    link.putObject("attributes").put("authorizedDate", at.toString()).put("id", relations.size())
        .put("resourceCreatedDate", at.toString()).put("resourceModifiedDate", at.toString())
        .put("revisedDate", "9999-01-01T00:00:00Z").put("resourceSize", size).put("name", fileName);
  }

  synchronized List<Comment> comments() {
    return List.copyOf(comments);
  }

  synchronized int revisionCount() {
    return revisions.size();
  }

  /** Revision {@code rev} (1-based) as the revisions API returns it. */
  synchronized ObjectNode revision(int rev, boolean withRelations) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("rev", rev);
    node.set("fields", revisions.get(rev - 1).deepCopy());
    if (withRelations && rev == revisions.size() && !relations.isEmpty()) {
      node.set("relations", relations.deepCopy());
    }
    node.put("url", owner.url() + "/_apis/wit/workItems/" + id + "/revisions/" + rev);
    return node;
  }

  /** The work item as {@code workitemsbatch} returns it ({@code $expand}: none, relations, all). */
  synchronized ObjectNode current(String expand) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", id);
    node.put("rev", revisions.size());
    node.set("fields", revisions.get(revisions.size() - 1).deepCopy());
    boolean withRelations = expand.equalsIgnoreCase("all") || expand.equalsIgnoreCase("relations");
    if (withRelations && !relations.isEmpty()) {
      node.set("relations", relations.deepCopy());
    }
    if (expand.equalsIgnoreCase("all")) {
      ObjectNode links = node.putObject("_links");
      links.putObject("self").put("href", owner.url() + "/_apis/wit/workItems/" + id);
      links.putObject("workItemComments").put("href", owner.url() + "/_apis/wit/workItems/" + id + "/comments");
      links.putObject("workItemRevisions").put("href", owner.url() + "/_apis/wit/workItems/" + id + "/revisions");
    }
    node.put("url", owner.url() + "/_apis/wit/workItems/" + id);
    return node;
  }

  /** A comment as Server 2019 lists it (wit/5.0/workItemTracking.json WorkItemComment): its revision, not an id. */
  ObjectNode historyComment(Comment comment) {
    ObjectNode node = JSON.createObjectNode();
    node.put("revision", comment.revision());
    node.put("text", comment.text());
    node.set("revisedBy", Identities.ref(owner.project().organization(), comment.author()));
    node.put("revisedDate", comment.created().toString());
    node.put("url", owner.url() + "/_apis/wit/workItems/" + id + "/comments/" + comment.revision());
    return node;
  }

  ObjectNode comment(Comment comment) {
    Organization organization = owner.project().organization();
    ObjectNode node = JSON.createObjectNode();
    node.put("workItemId", id);
    node.put("commentId", comment.id());
    node.put("version", comment.version());
    node.put("text", comment.text());
    node.set("createdBy", Identities.ref(organization, comment.author()));
    node.put("createdDate", comment.created().toString());
    node.set("modifiedBy", Identities.ref(organization, comment.author()));
    node.put("modifiedDate", comment.modified().toString());
    node.put("url", owner.url() + "/_apis/wit/workItems/" + id + "/comments/" + comment.id());
    return node;
  }
}
