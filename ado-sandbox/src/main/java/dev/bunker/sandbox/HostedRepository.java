package dev.bunker.sandbox;

import static dev.bunker.sandbox.HistoryWriter.MAIN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A git repository hosted by the sandbox: a bare JGit repository on disk with builder methods
 * that add real history. Every {@code with…} call changes the repository at once and returns it,
 * so {@code repository("site").withBranches(3).withAnnotatedTag("v1")} reads like the data it
 * makes. A repository nobody added history to is empty (no refs, no default branch).
 */
public final class HostedRepository {

  private final Project project;
  private final String name;
  private final UUID id;
  private final Path directory;
  private final Repository git;
  private final HistoryWriter history;
  private final boolean hidden;
  private final Random random;
  private volatile boolean disabled;
  private volatile boolean inMaintenance;
  private volatile String codeWikiName;
  private volatile String listedRemoteUrl;
  private final List<PullRequest> pullRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, byte[]> lfsObjects = new ConcurrentHashMap<>();

  HostedRepository(Project project, String name, Path directory, boolean hidden, String initialBranch) {
    this.project = project;
    this.name = name;
    this.id = UUID.nameUUIDFromBytes(
        ("repo:" + project.organization().path() + "/" + project.name() + "/" + name)
            .getBytes(StandardCharsets.UTF_8));
    this.directory = directory;
    this.hidden = hidden;
    this.random = new Random(id.getLeastSignificantBits());
    try {
      Files.createDirectories(directory);
      this.git = Git.init().setBare(true).setDirectory(directory.toFile())
          .setInitialBranch(initialBranch).call().getRepository();
      this.history = new HistoryWriter(git, name);
    } catch (GitAPIException | IOException e) {
      throw new IllegalStateException("cannot create repository " + directory, e);
    }
  }

  public UUID id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Project project() {
    return project;
  }

  /** The clone URL, pointing at the sandbox: {@code {organization}/{project}/_git/{name}}. */
  public URI remoteUrl() {
    return URI.create(project.organization().url() + "/" + Paths.segment(project.name())
        + "/_git/" + Paths.segment(name));
  }

  /**
   * The {@code remoteUrl} the repositories API answers. Azure DevOps Services names the
   * organization as the URL's user, {@code https://{organization}@dev.azure.com/{organization}/…}
   * (the URL its Clone button shows: git-credential-manager PR #1522 and issue #1520,
   * backstage/backstage#13657), though the scrubbed examples of git/7.1/httpExamples/repositories/
   * show none; Server collections answer without user info.
   */
  public String listedRemoteUrl() {
    if (listedRemoteUrl != null) {
      return listedRemoteUrl;
    }
    URI url = remoteUrl();
    return project.organization().isServer() ? url.toString()
        : url.getScheme() + "://" + project.organization().name() + "@" + url.getRawAuthority() + url.getRawPath();
  }

  /**
   * A fault for robustness tests: the repositories API answers {@code text} as this repository's
   * {@code remoteUrl} (an address off the allow-list, or no URL at all). A Server answers its
   * configured public URL, which need not be the one Bunker was given (git-lfs/git-lfs#4507: an
   * https request answered with http://tfsserver:8080 links).
   */
  public HostedRepository listedWithRemoteUrl(String text) {
    listedRemoteUrl = text;
    return this;
  }

  /** The bare repository on disk, for assertions. */
  public Repository git() {
    return git;
  }

  public Path directory() {
    return directory;
  }

  public boolean isDisabled() {
    return disabled;
  }

  public boolean isInMaintenance() {
    return inMaintenance;
  }

  /** Hidden repositories (project wikis) are listed only with {@code includeHidden=true}. */
  public boolean isHidden() {
    return hidden;
  }

  String codeWikiName() {
    return codeWikiName;
  }

  /** The default branch ({@code refs/heads/…}) or null while the repository is empty. */
  public String defaultBranch() {
    try {
      Ref head = git.exactRef(Constants.HEAD);
      return head != null && head.isSymbolic() && head.getObjectId() != null
          ? head.getTarget().getName() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every ref under {@code refs/} and the object it points at (tags not peeled), sorted by name. */
  public Map<String, ObjectId> refs() {
    try {
      Map<String, ObjectId> refs = new TreeMap<>();
      for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
        refs.put(ref.getName(), ref.getObjectId());
      }
      return refs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes on disk, reported as the repository's {@code size}. */
  long size() {
    try (Stream<Path> files = Files.walk(directory.resolve("objects"))) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }

  /** Answers 403 to git and reports {@code isDisabled: true}. */
  public HostedRepository disabled() {
    disabled = true;
    return this;
  }

  public HostedRepository inMaintenance() {
    inMaintenance = true;
    return this;
  }

  /** Publishes this repository as a code wiki of its project. */
  public HostedRepository asCodeWiki(String wikiName) {
    withCommits(1);
    codeWikiName = wikiName;
    return this;
  }

  /** Adds {@code count} commits to the default branch (creating it when the repository is empty). */
  public HostedRepository withCommits(int count) {
    for (int i = 0; i < count; i++) {
      String n = Integer.toString(refs().size() + i);
      history.commit(MAIN, "docs/note-" + n + ".md", "note " + n + "\n");
    }
    return this;
  }

  /** Adds {@code count} branches {@code feature/1…}, each one commit ahead of main. */
  public HostedRepository withBranches(int count) {
    ObjectId base = history.ensureMain();
    for (int i = 1; i <= count; i++) {
      String branch = "feature/" + i;
      history.setRef(Constants.R_HEADS + branch, base);
      history.commit(branch, "feature-" + i + ".txt", "feature " + i + "\n");
    }
    return this;
  }

  /** A lightweight tag on the tip of main. */
  public HostedRepository withTag(String tag) {
    history.setRef(Constants.R_TAGS + tag, history.ensureMain());
    return this;
  }

  /** An annotated tag object on the tip of main. */
  public HostedRepository withAnnotatedTag(String tag) {
    ObjectId target = history.ensureMain();
    try (ObjectInserter inserter = git.newObjectInserter()) {
      TagBuilder builder = new TagBuilder();
      builder.setObjectId(target, Constants.OBJ_COMMIT);
      builder.setTag(tag);
      builder.setTagger(history.nextIdent());
      builder.setMessage("Release " + tag + "\n");
      ObjectId tagId = inserter.insert(builder);
      inserter.flush();
      history.setRef(Constants.R_TAGS + tag, tagId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A topic branch merged into main with a two-parent merge commit. */
  public HostedRepository withMerge() {
    ObjectId base = history.ensureMain();
    String topic = "topic/merged-" + refs().size();
    history.setRef(Constants.R_HEADS + topic, base);
    ObjectId topicTip = history.commit(topic, "topic.txt", "from the topic branch\n");
    ObjectId mainTip = history.commit(MAIN, "main.txt", "from main\n");
    ObjectId merge = history.commit(List.of(mainTip, topicTip),
        Map.of("topic.txt", HistoryWriter.bytes("from the topic branch\n")), "Merge " + topic);
    history.setRef(Constants.R_HEADS + MAIN, merge);
    return this;
  }

  /** A binary file of {@code bytes} pseudo-random bytes committed on main. */
  public HostedRepository withBinaryFile(String path, int bytes) {
    byte[] content = new byte[bytes];
    random.nextBytes(content);
    history.ensureMain();
    history.commit(MAIN, path, content);
    return this;
  }

  /**
   * A Git LFS file committed on main: its pointer goes into git, its content to the repository's
   * LFS server (the batch API at {@code <remoteUrl>/info/lfs/objects/batch}).
   */
  public HostedRepository withLfsFile(String path, byte[] content) {
    String oid;
    try {
      oid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
    lfsObjects.put(oid, content.clone());
    history.ensureMain();
    history.commit(MAIN, path,
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + content.length + "\n");
    return this;
  }

  /** Keeps an uploaded LFS object (its oid already checked). */
  void storeLfsObject(String oid, byte[] content) {
    lfsObjects.put(oid, content);
  }

  /** The content of LFS object {@code oid}, if this repository's LFS server has it. */
  public Optional<byte[]> lfsObject(String oid) {
    return Optional.ofNullable(lfsObjects.get(oid));
  }

  /** A text file committed on main. */
  public HostedRepository withFile(String path, String content) {
    history.ensureMain();
    history.commit(MAIN, path, content);
    return this;
  }

  /** {@code count} extra branches {@code bulk/0001…} on the tip of main: a long ref advertisement. */
  public HostedRepository withManyRefs(int count) {
    ObjectId tip = history.ensureMain();
    try {
      var batch = git.getRefDatabase().newBatchUpdate();
      for (int i = 1; i <= count; i++) {
        batch.addCommand(new org.eclipse.jgit.transport.ReceiveCommand(
            ObjectId.zeroId(), tip, String.format("%sbulk/%04d", Constants.R_HEADS, i)));
      }
      try (RevWalk walk = new RevWalk(git)) {
        batch.execute(walk, org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Pull requests 1…{@code count}: each a source branch with one commit and the
   * {@code refs/pull/N/merge} ref Azure DevOps advertises (a merge of it into main).
   */
  public HostedRepository withPullRequests(int count) {
    for (int n = 1; n <= count; n++) {
      ObjectId base = history.ensureMain();
      String source = "pr/" + n;
      history.setRef(Constants.R_HEADS + source, base);
      ObjectId sourceTip = history.commit(source, "pr-" + n + ".txt", "pull request " + n + "\n");
      ObjectId merge = history.commit(List.of(base, sourceTip),
          Map.of("pr-" + n + ".txt", HistoryWriter.bytes("pull request " + n + "\n")), "Merge pull request " + n);
      history.setRef("refs/pull/" + n + "/merge", merge);
    }
    return this;
  }

  /**
   * A pull request record (title, description, reviewers, threads…) as the REST API shows it; see
   * {@link #withPullRequests(int)} for the git refs of pull requests.
   */
  public PullRequest pullRequest(String title) {
    PullRequest created = new PullRequest(this, project.organization().nextPullRequestId(), title,
        Instant.parse("2024-03-01T09:00:00Z").plusSeconds(3600L * pullRequests.size()));
    pullRequests.add(created);
    return created;
  }

  /** The pull request records, oldest first. */
  public List<PullRequest> pullRequests() {
    return List.copyOf(pullRequests);
  }

  /** Commits one file change on {@code branch} (created from main when missing); returns the commit. */
  public ObjectId commit(String branch, String path, String content) {
    return history.commit(branch, path, content);
  }

  /** Points {@code branch} at {@code commit}, like a force push would. */
  public HostedRepository resetBranch(String branch, ObjectId commit) {
    history.setRef(Constants.R_HEADS + branch, commit);
    return this;
  }

  @Override
  public String toString() {
    return project.name() + "/" + name;
  }
}
