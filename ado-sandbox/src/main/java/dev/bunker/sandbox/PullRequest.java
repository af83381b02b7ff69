package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A pull request of a sandbox repository: title, description (lists cut it to 400 characters),
 * status, reviewers and votes, labels, linked work items and comment threads.
 */
public final class PullRequest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final int LIST_DESCRIPTION_LIMIT = 400;

  /** A comment thread; {@code filePath} null for a general comment. */
  record Thread(int id, String status, String filePath, int line, List<String[]> comments, Instant published) {}

  private final HostedRepository repository;
  private final int id;
  private final Instant created;
  private volatile String title;
  private volatile String description = "";
  private volatile String status = "active";
  private volatile boolean draft;
  private volatile int iterations = 1;
  private final Map<String, Integer> reviewers = new LinkedHashMap<>();
  private final List<String> labels = new ArrayList<>();
  private final List<Integer> workItems = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  PullRequest(HostedRepository repository, int id, String title, Instant created) {
    this.repository = repository;
    this.id = id;
    this.title = title;
    this.created = created;
  }

  public int id() {
    return id;
  }

  public String status() {
    return status;
  }

  public PullRequest title(String text) {
    title = text;
    return this;
  }

  public PullRequest description(String text) {
    description = text;
    return this;
  }

  /** {@code active}, {@code completed} or {@code abandoned}. */
  public PullRequest status(String value) {
    if (!List.of("active", "completed", "abandoned").contains(value)) {
      throw new IllegalArgumentException("a pull request is active, completed or abandoned, not " + value);
    }
    status = value;
    return this;
  }

  public PullRequest draft() {
    draft = true;
    return this;
  }

  /** A reviewer and vote: 10 approved, 5 approved with suggestions, 0 none, -5 waiting, -10 rejected. */
  /** Pushes to the source branch: each one after the first is a new iteration. */
  public PullRequest iterations(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a pull request has at least one iteration");
    }
    iterations = count;
    return this;
  }

  public synchronized PullRequest reviewer(String displayName, int vote) {
    reviewers.put(displayName, vote);
    return this;
  }

  public synchronized PullRequest label(String name) {
    labels.add(name);
    return this;
  }

  public synchronized PullRequest linkedWorkItem(int workItemId) {
    workItems.add(workItemId);
    return this;
  }

  /** A general comment thread: first comment by the author, replies by a reviewer. */
  public PullRequest thread(String... comments) {
    return thread("active", null, 0, comments);
  }

  /** A thread on {@code line} of {@code filePath} with {@code status} (active, fixed, closed, byDesign…). */
  public synchronized PullRequest thread(String threadStatus, String filePath, int line, String... comments) {
    List<String[]> entries = new ArrayList<>();
    for (int i = 0; i < comments.length; i++) {
      entries.add(new String[] {i % 2 == 0 ? "Avery Tester" : "Sam Developer", comments[i]});
    }
    threads.add(new Thread(threads.size() + 1, threadStatus, filePath, line, entries,
        created.plus(Duration.ofMinutes(threads.size() + 1L))));
    return this;
  }

  /** As the list returns it: description cut to 400 characters, no linked work items. */
  synchronized ObjectNode listed() {
    ObjectNode node = full(false);
    if (description.length() > LIST_DESCRIPTION_LIMIT) {
      node.put("description", description.substring(0, LIST_DESCRIPTION_LIMIT));
    }
    return node;
  }

  synchronized ObjectNode full(boolean withWorkItems) {
    Organization organization = repository.project().organization();
    String repoUrl =
        organization.url() + "/" + repository.project().id() + "/_apis/git/repositories/" + repository.id();
    ObjectNode node = JSON.createObjectNode();
    ObjectNode repo = node.putObject("repository");
    repo.put("id", repository.id().toString());
    repo.put("name", repository.name());
    repo.put("url", repoUrl);
    repo.putObject("project").put("id", repository.project().id().toString()).put("name", repository.project().name());
    node.put("pullRequestId", id);
    node.put("codeReviewId", id);
    node.put("status", status);
    node.set("createdBy", Identities.ref(organization, "Avery Tester"));
    node.put("creationDate", created.toString());
    if (!status.equals("active")) {
      node.put("closedDate", created.plus(Duration.ofDays(1)).toString());
    }
    node.put("title", title);
    node.put("description", description);
    node.put("sourceRefName", "refs/heads/pr/" + id);
    node.put("targetRefName", "refs/heads/main");
    node.put("mergeStatus", status.equals("abandoned") ? "notSet" : "succeeded");
    node.put("isDraft", draft);
    node.put("mergeId", UUID.nameUUIDFromBytes(("merge:" + repository.id() + ":" + id).getBytes()).toString());
    ArrayNode reviewerNodes = node.putArray("reviewers");
    reviewers.forEach((name, vote) -> {
      ObjectNode reviewer = Identities.ref(organization, name);
      reviewer.put("reviewerUrl", repoUrl + "/pullRequests/" + id + "/reviewers/" + reviewer.path("id").asText());
      reviewer.put("vote", vote);
      reviewer.put("hasDeclined", false);
      reviewer.put("isFlagged", false);
      reviewerNodes.add(reviewer);
    });
    if (!labels.isEmpty()) {
      ArrayNode labelNodes = node.putArray("labels");
      labels.forEach(label -> labelNodes.addObject()
          .put("id", UUID.nameUUIDFromBytes(("label:" + label).getBytes()).toString())
          .put("name", label).put("active", true));
    }
    if (withWorkItems) {
      ArrayNode refs = node.putArray("workItemRefs");
      workItems.forEach(w -> refs.addObject().put("id", Integer.toString(w))
          .put("url", organization.url() + "/_apis/wit/workItems/" + w));
    }
    node.put("url", repoUrl + "/pullRequests/" + id);
    node.put("supportsIterations", true);
    return node;
  }

  synchronized List<ObjectNode> iterations() {
    Organization organization = repository.project().organization();
    List<ObjectNode> nodes = new ArrayList<>();
    for (int i = 1; i <= iterations; i++) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", i);
      node.put("description", i == 1 ? title : "Push " + i);
      node.set("author", Identities.ref(organization, "Avery Tester"));
      node.put("createdDate", created.plus(Duration.ofHours(i - 1L)).toString());
      node.put("updatedDate", created.plus(Duration.ofHours(i - 1L)).toString());
      node.putObject("sourceRefCommit").put("commitId", commit("source", i));
      node.putObject("targetRefCommit").put("commitId", commit("target", 1));
      node.putObject("commonRefCommit").put("commitId", commit("target", 1));
      node.put("hasMoreCommits", false);
      node.put("reason", i == 1 ? "create" : "push");
      nodes.add(node);
    }
    return nodes;
  }

  private String commit(String side, int n) {
    return UUID.nameUUIDFromBytes((side + ":" + repository.id() + ":" + id + ":" + n).getBytes())
        .toString().replace("-", "") + "00000000";
  }

  synchronized List<ObjectNode> threads() {
    Organization organization = repository.project().organization();
    List<ObjectNode> nodes = new ArrayList<>();
    for (Thread thread : threads) {
      ObjectNode node = JSON.createObjectNode();
      node.put("id", thread.id());
      node.put("publishedDate", thread.published().toString());
      node.put("lastUpdatedDate", thread.published().toString());
      ArrayNode comments = node.putArray("comments");
      for (int i = 0; i < thread.comments().size(); i++) {
        String[] comment = thread.comments().get(i);
        ObjectNode c = comments.addObject();
        c.put("id", i + 1);
        c.put("parentCommentId", i == 0 ? 0 : 1);
        c.set("author", Identities.ref(organization, comment[0]));
        c.put("content", comment[1]);
        c.put("publishedDate", thread.published().plusSeconds(60L * i).toString());
        c.put("lastUpdatedDate", thread.published().plusSeconds(60L * i).toString());
        c.put("lastContentUpdatedDate", thread.published().plusSeconds(60L * i).toString());
        c.put("commentType", "text");
        c.putArray("usersLiked");
      }
      node.put("status", thread.status());
      if (thread.filePath() == null) {
        node.putNull("threadContext");
      } else {
        ObjectNode context = node.putObject("threadContext");
        context.put("filePath", thread.filePath());
        context.putObject("rightFileStart").put("line", thread.line()).put("offset", 1);
        context.putObject("rightFileEnd").put("line", thread.line()).put("offset", 20);
      }
      node.putObject("properties");
      node.put("isDeleted", false);
      nodes.add(node);
    }
    return nodes;
  }
}
