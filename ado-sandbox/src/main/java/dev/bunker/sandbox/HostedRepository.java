package dev.bunker.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
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
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
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

  private static final String MAIN = "main";

  private final Project project;
  private final String name;
  private final UUID id;
  private final Path directory;
  private final Repository git;
  private final boolean hidden;
  private final Random random;
  private volatile boolean disabled;
  private volatile boolean inMaintenance;
  private volatile String codeWikiName;
  private volatile String listedRemoteUrl;
  private long clock = 1_700_000_000L;
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
      commit(MAIN, "docs/note-" + n + ".md", "note " + n + "\n");
    }
    return this;
  }

  /** Adds {@code count} branches {@code feature/1…}, each one commit ahead of main. */
  public HostedRepository withBranches(int count) {
    ObjectId base = ensureMain();
    for (int i = 1; i <= count; i++) {
      String branch = "feature/" + i;
      setRef(Constants.R_HEADS + branch, base);
      commit(branch, "feature-" + i + ".txt", "feature " + i + "\n");
    }
    return this;
  }

  /** A lightweight tag on the tip of main. */
  public HostedRepository withTag(String tag) {
    setRef(Constants.R_TAGS + tag, ensureMain());
    return this;
  }

  /** An annotated tag object on the tip of main. */
  public HostedRepository withAnnotatedTag(String tag) {
    ObjectId target = ensureMain();
    try (ObjectInserter inserter = git.newObjectInserter()) {
      TagBuilder builder = new TagBuilder();
      builder.setObjectId(target, Constants.OBJ_COMMIT);
      builder.setTag(tag);
      builder.setTagger(nextIdent());
      builder.setMessage("Release " + tag + "\n");
      ObjectId tagId = inserter.insert(builder);
      inserter.flush();
      setRef(Constants.R_TAGS + tag, tagId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A topic branch merged into main with a two-parent merge commit. */
  public HostedRepository withMerge() {
    ObjectId base = ensureMain();
    String topic = "topic/merged-" + refs().size();
    setRef(Constants.R_HEADS + topic, base);
    ObjectId topicTip = commit(topic, "topic.txt", "from the topic branch\n");
    ObjectId mainTip = commit(MAIN, "main.txt", "from main\n");
    ObjectId merge = commit(List.of(mainTip, topicTip), Map.of("topic.txt", bytes("from the topic branch\n")),
        "Merge " + topic);
    setRef(Constants.R_HEADS + MAIN, merge);
    return this;
  }

  /** A binary file of {@code bytes} pseudo-random bytes committed on main. */
  public HostedRepository withBinaryFile(String path, int bytes) {
    byte[] content = new byte[bytes];
    random.nextBytes(content);
    ensureMain();
    commit(MAIN, path, content);
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
    ensureMain();
    commit(MAIN, path, "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid + "\nsize " + content.length
        + "\n");
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
    ensureMain();
    commit(MAIN, path, content);
    return this;
  }

  /** {@code count} extra branches {@code bulk/0001…} on the tip of main: a long ref advertisement. */
  public HostedRepository withManyRefs(int count) {
    ObjectId tip = ensureMain();
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
      ObjectId base = ensureMain();
      String source = "pr/" + n;
      setRef(Constants.R_HEADS + source, base);
      ObjectId sourceTip = commit(source, "pr-" + n + ".txt", "pull request " + n + "\n");
      ObjectId merge = commit(List.of(base, sourceTip),
          Map.of("pr-" + n + ".txt", bytes("pull request " + n + "\n")), "Merge pull request " + n);
      setRef("refs/pull/" + n + "/merge", merge);
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
    return commit(branch, path, bytes(content));
  }

  /** Points {@code branch} at {@code commit}, like a force push would. */
  public HostedRepository resetBranch(String branch, ObjectId commit) {
    setRef(Constants.R_HEADS + branch, commit);
    return this;
  }

  private ObjectId commit(String branch, String path, byte[] content) {
    String ref = Constants.R_HEADS + branch;
    ObjectId parent = resolve(ref);
    if (parent == null && !branch.equals(MAIN)) {
      parent = resolve(Constants.R_HEADS + MAIN);
    }
    ObjectId commit = commit(parent == null ? List.of() : List.of(parent), Map.of(path, content),
        "Change " + path + " on " + branch);
    setRef(ref, commit);
    return commit;
  }

  private synchronized ObjectId commit(List<ObjectId> parents, Map<String, byte[]> changes, String message) {
    try (ObjectInserter inserter = git.newObjectInserter(); RevWalk walk = new RevWalk(git)) {
      DirCache index = parents.isEmpty()
          ? DirCache.newInCore()
          : DirCache.read(walk.getObjectReader(), walk.parseCommit(parents.get(0)).getTree());
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, byte[]> change : changes.entrySet()) {
        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, change.getValue());
        editor.add(new DirCacheEditor.PathEdit(change.getKey()) {
          @Override
          public void apply(DirCacheEntry entry) {
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
          }
        });
      }
      editor.finish();
      CommitBuilder builder = new CommitBuilder();
      builder.setTreeId(index.writeTree(inserter));
      builder.setParentIds(parents);
      PersonIdent ident = nextIdent();
      builder.setAuthor(ident);
      builder.setCommitter(ident);
      builder.setMessage(message + "\n");
      ObjectId id = inserter.insert(builder);
      inserter.flush();
      return id;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ObjectId ensureMain() {
    ObjectId tip = resolve(Constants.R_HEADS + MAIN);
    return tip != null ? tip : commit(MAIN, "README.md", "# " + name + "\n");
  }

  private ObjectId resolve(String ref) {
    try {
      Ref found = git.exactRef(ref);
      return found == null ? null : found.getObjectId();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void setRef(String ref, ObjectId target) {
    try {
      RefUpdate update = git.updateRef(ref);
      update.setNewObjectId(target);
      update.setForceUpdate(true);
      RefUpdate.Result result = update.update();
      if (result == RefUpdate.Result.LOCK_FAILURE || result == RefUpdate.Result.IO_FAILURE
          || result == RefUpdate.Result.REJECTED) {
        throw new IllegalStateException("cannot update " + ref + ": " + result);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Commit times advance one minute per object so history sorts the way it was built. */
  private synchronized PersonIdent nextIdent() {
    clock += 60;
    return new PersonIdent("Sandbox Author", "author@sandbox.example",
        Instant.ofEpochSecond(clock), ZoneOffset.UTC);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return project.name() + "/" + name;
  }
}
