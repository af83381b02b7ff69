package dev.bunker.sandbox;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * A local stand-in for Azure DevOps: organizations and Server collections with projects,
 * repositories and wikis behind the REST API paths Bunker uses, and smart-HTTP git at
 * {@code /{organization}/{project}/_git/{repository}} — all with Azure DevOps' auth rules
 * (Basic with any user name and a PAT, or a Bearer token), its error shapes, and faults a test
 * can switch on. Repositories live in a temporary directory removed by {@link #close()}.
 *
 * <pre>{@code
 * try (AdoSandbox sandbox = AdoSandbox.start()) {
 *   String pat = sandbox.pat();
 *   sandbox.organization("contoso").project("Web").repository("site").withBranches(3);
 *   sandbox.faults().throttleNext(2, Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class AdoSandbox implements AutoCloseable {

  /** Who a registered token authenticates as. */
  record Identity(UUID id, String displayName, String scheme) {}

  private final Server server;
  private final Path root;
  private volatile String url;
  private final Map<String, Organization> organizations = new ConcurrentHashMap<>();
  private final Map<String, Identity> tokens = new ConcurrentHashMap<>();
  private final RequestLog requests = new RequestLog();
  private final Set<String> outsideSurface = Collections.synchronizedSet(new LinkedHashSet<>());
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private volatile Predicate<String> bearerIssuer;
  private final Faults faults = new Faults();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean gitWithCgit;

  private AdoSandbox(Server server, Path root) {
    this.server = server;
    this.root = root;
  }

  /** Starts a sandbox on a free loopback port. */
  public static AdoSandbox start() {
    return start(0);
  }

  /** Starts a sandbox on {@code port} (0 for any free port) of 127.0.0.1. */
  public static AdoSandbox start(int port) {
    Server server = new Server();
    // X-Forwarded-Host/-Proto say which Azure DevOps Services host a request was addressed to
    // (see cloudHttpClient); requests to the loopback address itself carry none.
    HttpConfiguration http = new HttpConfiguration();
    http.addCustomizer(new ForwardedRequestCustomizer());
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    try {
      AdoSandbox sandbox = new AdoSandbox(server, Files.createTempDirectory("ado-sandbox"));
      server.setHandler(sandbox.handler());
      server.start();
      sandbox.url = "http://127.0.0.1:" + connector.getLocalPort();
      return sandbox;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Azure DevOps sandbox", e);
    }
  }

  private ServletContextHandler handler() {
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    GitServlet git = new GitServlet();
    git.setRepositoryResolver((request, name) -> GitRoute.open(this, name));
    git.setReceivePackFactory((request, repository) -> new ReceivePack(repository));
    context.addServlet(new ServletHolder(git), "/*");
    context.addFilter(new FilterHolder(new SandboxFilter(this)), "/*", EnumSet.of(DispatcherType.REQUEST));
    return context;
  }

  /**
   * Serves git from now on through CGit's git-http-backend rather than JGit's GitServlet (same
   * protocol, same auth and faults in front): for benchmarks, whose baseline is a production git
   * server. Pushes go through it too.
   */
  public AdoSandbox serveGitWithCgit() {
    gitWithCgit = true;
    return this;
  }

  boolean servesGitWithCgit() {
    return gitWithCgit;
  }

  /** The sandbox root URL, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  public String url() {
    return url;
  }

  /**
   * An HTTP client that reaches this sandbox for Azure DevOps Services' own hosts: requests to
   * {@code https://dev.azure.com/…} and {@code https://{service}.dev.azure.com/…} (vssps, vsrm,
   * feeds…) are sent to the sandbox, which serves each REST area only on the host the official
   * specification puts it on (see {@link ServiceHosts}). Register a cloud-style organization with
   * Bunker as {@link Organization#cloudUrl()} through this client, and calls sent to the wrong host
   * fail as they would in the cloud. Other hosts go out unchanged. It follows no redirects.
   */
  public java.net.http.HttpClient cloudHttpClient() {
    return new CloudRouting(this::url);
  }

  /** The cloud-style organization {@code /{name}}, created on first use. */
  public Organization organization(String name) {
    if (name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("an organization name is one path segment: " + name);
    }
    return organizationAt(name, false);
  }

  /**
   * An Azure DevOps Server collection at {@code path} (e.g. {@code tfs/DefaultCollection}),
   * accepting api-versions up to 6.0 unless told otherwise; created on first use.
   */
  public Organization collection(String path) {
    String trimmed = path.replaceAll("^/+|/+$", "");
    if (trimmed.isBlank()) {
      throw new IllegalArgumentException("a collection needs a path such as tfs/DefaultCollection");
    }
    return organizationAt(trimmed, true);
  }

  private Organization organizationAt(String path, boolean isServer) {
    return organizations.computeIfAbsent(path.toLowerCase(java.util.Locale.ROOT),
        key -> new Organization(this, path, isServer,
            root.resolve(UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString())));
  }

  /** Registers and returns a new random personal access token. */
  public String pat() {
    byte[] bytes = new byte[26];
    random.nextBytes(bytes);
    StringBuilder token = new StringBuilder();
    for (byte b : bytes) {
      token.append(String.format("%02x", b));
    }
    return pat(token.toString());
  }

  /** Registers {@code token} as a personal access token (Basic auth, any user name). */
  public String pat(String token) {
    return register(token, "Basic");
  }

  /** Registers {@code token} as an OAuth access token (Bearer). */
  public String bearerToken(String token) {
    return register(token, "Bearer");
  }

  /**
   * Also accepts, as Bearer tokens, those {@code issuedBy} recognises (e.g. JWTs of a test identity
   * provider, which a test cannot know before the app under test redeems them). Each accepted
   * token authenticates as its own user until {@link #revoke revoked}.
   */
  public void acceptBearerTokens(Predicate<String> issuedBy) {
    bearerIssuer = issuedBy;
  }

  /** Forgets a token: later requests with it are refused, like an expired or revoked PAT. */
  public void revoke(String token) {
    revoked.add(token);
    tokens.remove(token);
  }

  private String register(String token, String scheme) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a token must not be blank");
    }
    UUID user = UUID.nameUUIDFromBytes(("user:" + tokens.size()).getBytes(StandardCharsets.UTF_8));
    tokens.put(token, new Identity(user, "Sandbox User " + (tokens.size() + 1), scheme));
    return token;
  }

  Optional<Identity> identity(String token, String scheme) {
    Predicate<String> issuer = bearerIssuer;
    if (scheme.equals("Bearer") && issuer != null && !tokens.containsKey(token) && !revoked.contains(token)
        && issuer.test(token)) {
      register(token, "Bearer");
    }
    Identity identity = tokens.get(token);
    return identity != null && identity.scheme().equals(scheme) ? Optional.of(identity) : Optional.empty();
  }

  public Faults faults() {
    return faults;
  }

  /** Every request received so far, in the order they arrived (see {@link RequestLog}). */
  public List<RecordedRequest> requests() {
    return requests.all();
  }

  public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
    return requests.all().stream().filter(filter).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  RequestLog.Entry record(RecordedRequest request) {
    return requests.arrived(request);
  }

  /** Notes a request of Bunker's that the API surface table does not list; {@link #close()} fails on it. */
  void outsideSurface(String why) {
    outsideSurface.add(why);
  }

  /** The organization whose path the request path starts with (the longest such path). */
  Optional<Organization> organizationFor(String path) {
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    return organizations.values().stream()
        .filter(o -> {
          String prefix = "/" + o.path().toLowerCase(java.util.Locale.ROOT);
          return lower.equals(prefix) || lower.startsWith(prefix + "/");
        })
        .max(Comparator.comparingInt(o -> o.path().length()));
  }

  Optional<Organization> organizationByPath(String path) {
    return Optional.ofNullable(organizations.get(path.toLowerCase(java.util.Locale.ROOT)));
  }

  /** The URL of the sandbox's sign-in page (where refused browsers are sent). */
  public URI signInUrl() {
    return URI.create(url + SandboxFilter.SIGN_IN_PATH);
  }

  /**
   * Stops the sandbox and removes its repositories; then fails with an {@link AssertionError} if
   * Bunker made a request that the API surface table ({@code docs/azure-devops-api.md}) does not list.
   */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the Azure DevOps sandbox", e);
    } finally {
      organizations.values().forEach(o -> o.projects().forEach(
          p -> p.repositories().forEach(r -> r.git().close())));
      deleteRecursively(root);
    }
    List<String> unchecked;
    synchronized (outsideSurface) {
      unchecked = List.copyOf(outsideSurface);
    }
    if (!unchecked.isEmpty()) {
      throw new AssertionError("Bunker made " + unchecked.size() + " request shape(s) that the API surface table "
          + "does not list (docs/azure-devops-api.md, ado-sandbox " + ApiSurface.RESOURCE + "). Check each against "
          + "the REST specification and add it to both:\n  " + String.join("\n  ", unchecked));
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  /**
   * Runs a sandbox for local trials: {@code contoso} with two projects, a Server collection, and
   * a PAT printed on start. Stops on Ctrl-C. Optional argument: the port.
   */
  public static void main(String[] args) throws InterruptedException {
    AdoSandbox sandbox = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close));
    Organization contoso = sandbox.organization("contoso");
    Project web = contoso.project("Web");
    web.repository("site").withBranches(3).withAnnotatedTag("v1").withMerge().withPullRequests(2)
        .withBinaryFile("assets/logo.bin", 64 * 1024);
    web.repository("empty");
    web.repository("legacy").withCommits(2).disabled();
    web.withProjectWiki();
    web.workItems(250).workItems().get(12).comment("Kim Lead", "Seen again after the release").link(
        "System.LinkTypes.Related", 40);
    HostedRepository site = web.repository("site");
    site.pullRequest("Add dark mode").description("Why: " + "accessibility and battery. ".repeat(30))
        .reviewer("Sam Developer", 10).label("ui").linkedWorkItem(12).iterations(2)
        .thread("Keep the old colours?", "Behind a flag").thread("fixed", "/src/theme.css", 14, "Typo");
    site.pullRequest("Try a new router").title("Try the new router").status("abandoned").draft();
    web.buildDefinition("ci").variable("configuration", "Release").secretVariable("signingKey", "not-a-real-key");
    web.variableGroup("shared").variable("region", "westeurope").secret("dbPassword", "not-a-real-password");
    contoso.project("Platform").repository("infra").withCommits(3).withTag("v0.1");
    sandbox.collection("tfs/DefaultCollection").project("OnPrem").repository("app").withCommits(2);
    String pat = sandbox.pat();
    System.out.println("Azure DevOps sandbox at " + sandbox.url());
    System.out.println("  organization: " + contoso.url());
    System.out.println("  collection:   " + sandbox.collection("tfs/DefaultCollection").url());
    System.out.println("  PAT:          " + pat);
    System.out.println("  try: git -c http.extraHeader=\"Authorization: Basic $(printf ':%s' " + pat
        + " | base64 -w0)\" clone " + web.repository("site").remoteUrl());
    Thread.sleep(Duration.ofDays(365).toMillis());
  }
}
