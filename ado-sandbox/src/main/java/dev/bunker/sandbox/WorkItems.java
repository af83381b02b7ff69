package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.IntStream;

/**
 * The work items of a sandbox project. {@link #generate(int)} adds realistic items that are made
 * up on demand from their number (nothing is held in memory until one is changed), so a project
 * with 25,000 work items costs nothing to set up:
 * <ul>
 *   <li>a Bug, User Story or Task with 1–3 revisions (New, Active, Closed), tags on every 4th;
 *   <li>two comments on every 7th; a Task links to its parent (the item before it);
 *   <li>an attachment on every 40th, its bytes one of five files (so content repeats across ids).
 * </ul>
 */
public final class WorkItems {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EPOCH = Instant.parse("2024-01-01T08:00:00Z");
  /** Marks the ids of generated attachments (their low bits are the work item number). */
  private static final long GENERATED_ATTACHMENT = 0x5A4DB0C5L << 32;
  private static final int SHARED_FILES = 5;
  private static final String PARENT_LINK = "System.LinkTypes.Hierarchy-Reverse";

  /**
   * An attachment: made-up and small ones held as {@code bytes}, uploaded ones in {@code file}
   * (they may be larger than memory; a chunked upload fills its file chunk by chunk).
   */
  record Attachment(String fileName, byte[] bytes, Path file) {
    long size() throws IOException {
      return bytes != null ? bytes.length : Files.size(file);
    }

    InputStream open() throws IOException {
      return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }
  }

  /** A revision made after the generated ones (or a deletion), in the order it happened. */
  record Revised(int id, int rev, boolean deleted, Instant at) {}

  private final Project project;
  private final Map<Integer, WorkItem> changed = new ConcurrentHashMap<>();
  private final Map<UUID, Attachment> attachments = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Integer, Boolean> createdIds = new ConcurrentSkipListMap<>();
  private final Set<Integer> deleted = ConcurrentHashMap.newKeySet();
  /** What the reporting revisions API lists after the generated revisions; its own lock, never nested. */
  private final List<Revised> log = Collections.synchronizedList(new ArrayList<>());
  private volatile int generated;
  private volatile int queryLimit = 20_000;
  private int lastId;

  WorkItems(Project project) {
    this.project = project;
  }

  Project project() {
    return project;
  }

  String url() {
    return project.organization().url() + "/" + project.id();
  }

  Instant now() {
    return Instant.now();
  }

  /** Adds {@code count} generated work items after the last one. */
  public synchronized WorkItems generate(int count) {
    if (!createdIds.isEmpty()) {
      throw new IllegalStateException("generate work items before creating others");
    }
    generated += count;
    lastId = generated;
    return this;
  }

  /** Most ids a WIQL query may return before it fails (Azure DevOps: 20,000). */
  public WorkItems queryLimit(int limit) {
    queryLimit = limit;
    return this;
  }

  int queryLimit() {
    return queryLimit;
  }

  /** A new work item with one revision. */
  public synchronized WorkItem create(String type, String title) {
    int id = ++lastId;
    WorkItem item = new WorkItem(this, id);
    Instant now = now();
    item.addRevision(firstRevision(id, type, title, now));
    changed.put(id, item);
    createdIds.put(id, true);
    log.add(new Revised(id, 1, false, now));
    return item;
  }

  /** Moves work item {@code id} to the recycle bin: it is no longer read, and the reporting API says so. */
  public void delete(int id) {
    WorkItem item = get(id);
    deleted.add(id);
    changed.remove(id);
    log.add(new Revised(id, item.rev() + 1, true, now()));
  }

  /** Records a new revision of a work item for the reporting API. */
  void revised(int id, int rev, Instant at) {
    log.add(new Revised(id, rev, false, at));
  }

  /** Revisions made after the generated ones, from position {@code from} of the log on. */
  List<Revised> revisedSince(int from) {
    synchronized (log) {
      return from >= log.size() ? List.of() : List.copyOf(log.subList(from, log.size()));
    }
  }

  int generatedCount() {
    return generated;
  }

  boolean isDeleted(int id) {
    return deleted.contains(id);
  }

  /** When revision {@code rev} of generated work item {@code n} was made. */
  static Instant generatedAt(int n, int rev) {
    return EPOCH.plus(Duration.ofMinutes(n * 7L)).plus(Duration.ofHours(rev == 1 ? 0 : rev == 2 ? 5 : 10));
  }

  /** How many revisions generated work item {@code n} was made with. */
  static int generatedRevisions(int n) {
    return 1 + n % 3;
  }

  /** Work item {@code id}, to change it. */
  public WorkItem get(int id) {
    if (deleted.contains(id)) {
      throw new IllegalArgumentException("work item " + id + " is deleted");
    }
    return changed.computeIfAbsent(id, n -> generated(n).orElseThrow(
        () -> new IllegalArgumentException("no work item " + n + " in " + project.name())));
  }

  /** Number of work items. */
  public int count() {
    return generated + createdIds.size() - deleted.size();
  }

  /** The attachment bytes of an attachment uploaded or generated here. */
  Optional<Attachment> attachment(UUID id) {
    Attachment uploaded = attachments.get(id);
    if (uploaded != null) {
      return Optional.of(uploaded);
    }
    long high = id.getMostSignificantBits();
    int number = (int) id.getLeastSignificantBits();
    if (high != (project.id().getMostSignificantBits() ^ GENERATED_ATTACHMENT) || number < 1
        || number > generated || number % 40 != 0) {
      return Optional.empty();
    }
    int file = number / 40 % SHARED_FILES;
    return Optional.of(new Attachment("screenshot-" + file + ".png", sharedFile(file), null));
  }

  UUID storeAttachment(String fileName, byte[] content) {
    UUID id = UUID.randomUUID();
    attachments.put(id, new Attachment(fileName, content.clone(), null));
    return id;
  }

  /** An attachment whose bytes are (or, for a chunked upload, will be) in {@code file}. */
  UUID storeAttachment(String fileName, Path file) {
    UUID id = UUID.randomUUID();
    attachments.put(id, new Attachment(fileName, null, file));
    return id;
  }

  /** A new empty file for an uploaded attachment's bytes, in the organization's directory. */
  Path newAttachmentFile() throws IOException {
    Path directory = Files.createDirectories(project.organization().directory().resolve("attachments"));
    return Files.createTempFile(directory, "attachment", ".bin");
  }

  /** Every id, ascending. */
  IntStream ids() {
    return IntStream.concat(IntStream.rangeClosed(1, generated), createdIds.keySet().stream().mapToInt(i -> i))
        .filter(id -> !deleted.contains(id));
  }

  /** A work item to read: as changed, or made up fresh from its number. */
  Optional<WorkItem> find(int id) {
    if (deleted.contains(id)) {
      return Optional.empty();
    }
    WorkItem item = changed.get(id);
    return item != null ? Optional.of(item) : generated(id);
  }

  private Optional<WorkItem> generated(int n) {
    if (n < 1 || n > generated) {
      return Optional.empty();
    }
    String type = n % 10 < 3 ? "Bug" : n % 10 < 6 ? "User Story" : "Task";
    Random random = new Random(n * 7919L + project.id().getLeastSignificantBits());
    Instant created = EPOCH.plus(Duration.ofMinutes(n * 7L));
    WorkItem item = new WorkItem(this, n);
    ObjectNode fields = firstRevision(n, type, type + " " + n + ": " + TITLES[random.nextInt(TITLES.length)], created);
    if (n % 4 == 0) {
      fields.put("System.Tags", n % 8 == 0 ? "backend; customer" : "backend");
    }
    // its relations exist from the first revision on, and so do their counts
    boolean linked = type.equals("Task") && n > 1;
    if (linked) {
      fields.put(WorkItem.countField(PARENT_LINK), 1);
    }
    if (n % 40 == 0) {
      fields.put(WorkItem.countField("AttachedFile"), 1);
    }
    int revisions = generatedRevisions(n);
    int comments = n % 7 == 0 ? 2 : 0;
    String[] states = {"New", "Active", "Closed"};
    Instant at = created;
    for (int rev = 1; rev <= revisions; rev++) {
      ObjectNode revision = rev == 1 ? fields : fields.deepCopy();
      at = at.plus(Duration.ofHours(rev == 1 ? 0 : 5));
      revision.put("System.Rev", rev);
      revision.put("System.State", states[rev - 1]);
      revision.put("System.Reason", rev == 1 ? "New" : rev == 2 ? "Implementation started" : "Work finished");
      revision.put("System.ChangedDate", at.toString());
      if (rev == revisions) {
        revision.put("System.CommentCount", comments);
      }
      item.addRevision(revision);
      fields = revision;
    }
    for (int c = 1; c <= comments; c++) {
      Instant when = created.plus(Duration.ofMinutes(30L * c));
      item.addComment(new WorkItem.Comment(c, 1, "<div>Comment " + c + " on " + n + ": "
          + TITLES[random.nextInt(TITLES.length)] + "</div>", c == 1 ? "Avery Tester" : "Sam Developer", when, when,
          // made up beside the generated revisions: both belong to the first, current when they were written
          1));
    }
    if (linked) {
      item.addLink(PARENT_LINK, n - 1);
    }
    if (n % 40 == 0) {
      int file = n / 40 % SHARED_FILES;
      item.addAttachmentRelation(new UUID(project.id().getMostSignificantBits() ^ GENERATED_ATTACHMENT, n),
          "screenshot-" + file + ".png", sharedFile(file).length, created);
    }
    return Optional.of(item);
  }

  private ObjectNode firstRevision(int id, String type, String title, Instant created) {
    Organization organization = project.organization();
    ObjectNode fields = JSON.createObjectNode();
    fields.put("System.Id", id);
    fields.put("System.AreaPath", project.name());
    fields.put("System.TeamProject", project.name());
    fields.put("System.IterationPath", project.name() + "\\Sprint " + (1 + id % 12));
    fields.put("System.WorkItemType", type);
    fields.put("System.State", "New");
    fields.put("System.Reason", "New");
    fields.put("System.Rev", 1);
    fields.set("System.CreatedBy", Identities.ref(organization, "Avery Tester"));
    fields.put("System.CreatedDate", created.toString());
    fields.set("System.ChangedBy", Identities.ref(organization, "Avery Tester"));
    fields.put("System.ChangedDate", created.toString());
    fields.put("System.CommentCount", 0);
    fields.put("System.Title", title);
    fields.put("System.Description", "<div>" + title + ". Steps, context and acceptance criteria for item "
        + id + " go here, as they would in a real backlog.</div>");
    fields.put("Microsoft.VSTS.Common.Priority", 1 + id % 4);
    return fields;
  }

  private static byte[] sharedFile(int file) {
    byte[] bytes = new byte[2048 + 1024 * file];
    new Random(file).nextBytes(bytes);
    return bytes;
  }

  private static final String[] TITLES = {
      "Login fails after password reset", "Add export to CSV", "Slow dashboard on large projects",
      "Crash when the upload is empty", "Support dark mode", "Rename the billing settings page",
      "Timeouts calling the payment service", "Translate the onboarding tour", "Flaky nightly build",
      "Document the REST API limits"};
}
