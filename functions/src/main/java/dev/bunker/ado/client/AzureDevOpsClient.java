package dev.bunker.ado.client;

import static dev.bunker.ado.client.OrganizationUrl.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The Azure DevOps REST calls Bunker makes, for any organization on the allow-list: check a
 * credential, list projects, repositories and wikis, create a repository to restore into, and
 * give git the headers it needs. Thread safe; build one per process.
 *
 * <p>Every call negotiates the api-version (7.1, then 7.0, 6.0, 5.0 for older Servers,
 * remembered per organization), honours throttling ({@code 429 Retry-After}) and slows down when
 * {@code X-RateLimit-*} warns, retries server errors and dropped connections with jittered
 * backoff, limits concurrent calls per organization, and never follows a redirect off the
 * allow-list. Unaccepted credentials become {@link CredentialNotAcceptedException}.
 */
public final class AzureDevOpsClient {

  /** The api-versions tried, newest first: Services and Server 2022 (7.x), 2020 (6.0), 2019 (5.0). */
  public static final List<String> API_VERSIONS = List.of("7.1", "7.0", "6.0", "5.0");

  private final AllowList allowList;
  private final Exchange exchange;
  private final int pageSize;

  /**
   * The limits of {@link #withinRequest()}: calls made inside an HTTP request, which the front end
   * cuts off after 230 s. A call then takes at most about 75 s: a throttling pause of 10 s, two
   * attempts of 15 s for the headers and 15 s of silence in the body, and 5 s between them.
   */
  static final Exchange.Limits WITHIN_REQUEST = new Exchange.Limits(Duration.ofSeconds(15), Duration.ofSeconds(15),
      2, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), 4);

  private AzureDevOpsClient(AllowList allowList, Exchange exchange, int pageSize) {
    this.allowList = allowList;
    this.exchange = exchange;
    this.pageSize = pageSize;
  }

  /**
   * This client giving up sooner ({@link #WITHIN_REQUEST}), for calls made inside an HTTP request; it
   * shares this one's state of each organization (throttling pauses, calls in flight).
   */
  public AzureDevOpsClient withinRequest() {
    return new AzureDevOpsClient(allowList, exchange.withLimits(WITHIN_REQUEST), pageSize);
  }

  private AzureDevOpsClient(Builder builder) {
    this.allowList = builder.allowList;
    this.pageSize = builder.pageSize;
    HttpClient http = builder.httpClient != null ? builder.httpClient : HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(builder.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.exchange = new Exchange(http, allowList, builder.sleeper, builder.clock, builder.random,
        new Exchange.Limits(builder.requestTimeout, builder.idleBody, builder.maxAttempts, builder.baseBackoff,
            builder.maxBackoff, builder.maxPause, builder.concurrencyPerOrganization));
  }

  public static Builder builder(AllowList allowList) {
    return new Builder(allowList);
  }

  /**
   * Checks that {@code credential} is accepted by {@code organization} and says who it belongs to.
   *
   * @throws OrganizationNotAllowedException before any request when the URL is not allowed
   * @throws CredentialNotAcceptedException when the organization refuses the credential
   */
  public ConnectionData connect(OrganizationUrl organization, Credential credential) {
    // connectionData is in no spec; public clients send -preview.1 because a plain version gets 400.
    JsonNode body = exchange.get(organization, credential, "_apis/connectionData", v -> v + "-preview.1").body();
    JsonNode user = body.path("authenticatedUser");
    if (user.path("id").asText("").isEmpty()) {
      throw new CredentialNotAcceptedException(organization, "connection data names no authenticated user");
    }
    return new ConnectionData(user.path("id").asText(), user.path("providerDisplayName").asText(null),
        body.path("instanceId").asText(null), body.path("deploymentType").asText(null),
        exchange.apiVersion(organization));
  }

  /** Every usable ({@code wellFormed}) project, across all pages. */
  public List<Project> projects(OrganizationUrl organization, Credential credential) {
    List<Project> projects = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    String token = null;
    do {
      String path = "_apis/projects?$top=" + pageSize
          + (token == null ? "" : "&continuationToken=" + encode(token));
      Exchange.Answer page = exchange.get(organization, credential, path);
      for (JsonNode p : page.body().path("value")) {
        projects.add(new Project(p.path("id").asText(), p.path("name").asText(),
            p.path("state").asText("wellFormed"), p.path("description").asText(null)));
      }
      token = page.headers().firstValue("x-ms-continuationtoken").orElse(null);
      if (token != null && !seenTokens.add(token)) {
        throw new AzureDevOpsRequestException(organization,
            "Listing projects of " + organization + " returned the same continuation token twice", 0, null, null);
      }
    } while (token != null);
    return projects;
  }

  /**
   * Every repository of the organization, hidden project-wiki repositories included; one whose
   * clone URL cannot be used says why ({@link Repository#unusableBecause()}).
   */
  public List<Repository> repositories(OrganizationUrl organization, Credential credential) {
    return repositoriesAt(organization, credential, "_apis/git/repositories?includeHidden=true");
  }

  /** As {@link #repositories(OrganizationUrl, Credential)}, for one project (by id or name). */
  public List<Repository> repositories(OrganizationUrl organization, Credential credential, String project) {
    return repositoriesAt(organization, credential,
        encode(project) + "/_apis/git/repositories?includeHidden=true");
  }

  /** The wikis of one project (by id or name). */
  public List<Wiki> wikis(OrganizationUrl organization, Credential credential, String project) {
    List<Wiki> wikis = new ArrayList<>();
    for (JsonNode w : exchange.get(organization, credential, encode(project) + "/_apis/wiki/wikis").body()
        .path("value")) {
      wikis.add(new Wiki(w.path("id").asText(), w.path("name").asText(),
          "projectWiki".equals(w.path("type").asText()) ? Wiki.Type.PROJECT_WIKI : Wiki.Type.CODE_WIKI,
          w.path("projectId").asText(null), w.path("repositoryId").asText(null)));
    }
    return wikis;
  }

  /**
   * Creates an empty repository {@code name} in a project (by id) to restore into.
   *
   * @throws AzureDevOpsRequestException with {@link AzureDevOpsRequestException#isConflict()} when
   *     the name is taken
   */
  public Repository createRepository(OrganizationUrl organization, Credential credential,
      String projectId, String name) {
    ObjectNode body = AdoJson.JSON.createObjectNode();
    body.put("name", name);
    body.putObject("project").put("id", projectId);
    JsonNode created = exchange.post(organization, credential,
        encode(projectId) + "/_apis/git/repositories", body).body();
    return repository(created);
  }

  /**
   * The HTTP headers git needs for {@code credential} (for JGit's
   * {@code TransportHttp.setAdditionalHeaders}, or {@code git -c http.extraHeader=…}). Secret.
   */
  public Map<String, String> gitHeaders(Credential credential) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", credential.authorization());
    headers.put(Exchange.FED_AUTH_REDIRECT, "Suppress");
    return headers;
  }

  /** The api-version in use for {@code organization}: 7.1 until a call found it older. */
  public String apiVersion(OrganizationUrl organization) {
    return exchange.apiVersion(organization);
  }

  public AllowList allowList() {
    return allowList;
  }

  /** The robust REST exchange, for the exporters in this package. */
  public Exchange exchange() {
    return exchange;
  }

  public int pageSize() {
    return pageSize;
  }

  private List<Repository> repositoriesAt(OrganizationUrl organization, Credential credential, String path) {
    List<Repository> repositories = new ArrayList<>();
    for (JsonNode r : exchange.get(organization, credential, path).body().path("value")) {
      repositories.add(repository(r));
    }
    return repositories;
  }

  /**
   * A listed repository. One whose clone URL cannot be used (off the allow-list, or not a URL) is
   * listed too, with why, so that it never hides the others.
   */
  private Repository repository(JsonNode r) {
    String name = r.path("name").asText();
    String projectName = r.path("project").path("name").asText(null);
    String listed = r.path("remoteUrl").asText("");
    URI remoteUrl = null;
    String unusableBecause;
    try {
      URI candidate = withoutUserInfo(new URI(listed));
      unusableBecause = allowList.allows(candidate) ? null
          : "its clone URL " + candidate + " is not on the allow-list";
      remoteUrl = unusableBecause == null ? candidate : null;
    } catch (URISyntaxException e) {
      unusableBecause = "its clone URL is not a URL (" + e.getReason() + ")";
    }
    return new Repository(r.path("id").asText(), name, r.path("project").path("id").asText(null), projectName,
        r.hasNonNull("defaultBranch") ? r.get("defaultBranch").asText() : null,
        r.path("size").asLong(0), remoteUrl, r.path("isDisabled").asBoolean(false),
        r.path("isInMaintenance").asBoolean(false), r.path("isFork").asBoolean(false),
        projectName != null && name.equalsIgnoreCase(projectName + ".wiki"), unusableBecause);
  }

  /**
   * {@code uri} without user info. Azure DevOps Services lists clone URLs with the organization as
   * the user ({@code https://{organization}@dev.azure.com/…}, as its Clone button shows:
   * git-credential-manager PR #1522, backstage/backstage#13657); Server lists them without. The
   * credential, sent as a header, authenticates git and LFS, never the URL's user; the host is
   * judged as it is: {@code https://dev.azure.com@evil.example/} stays evil.example.
   */
  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawUserInfo().length() + 1)
        + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
        + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment()));
  }

  /** Tuning and test seams; the defaults suit Azure DevOps Services. */
  public static final class Builder {
    private final AllowList allowList;
    private HttpClient httpClient;
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration idleBody = Duration.ofMinutes(2);
    private int maxAttempts = 6;
    private Duration baseBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxPause = Duration.ofMinutes(5);
    private int concurrencyPerOrganization = 4;
    private int pageSize = 100;

    private Builder(AllowList allowList) {
      this.allowList = java.util.Objects.requireNonNull(allowList, "allowList");
    }

    /** A preconfigured client; it must not follow redirects (the allow-list checks each hop). */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    public Builder sleeper(Sleeper value) {
      this.sleeper = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /** Source of retry jitter. */
    public Builder random(Random value) {
      this.random = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    /** How long one request may take before it is abandoned (and retried when safe). */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    /**
     * How long an answer's body may bring nothing before the call fails (and is retried when safe):
     * the request timeout ends when the headers arrive, and a body can stall after them.
     */
    public Builder idleBodyTimeout(Duration value) {
      this.idleBody = value;
      return this;
    }

    /** Attempts per call, counting the first (throttling and server errors share this budget). */
    public Builder maxAttempts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = value;
      return this;
    }

    /** First retry waits about this long; each further retry doubles it, up to {@code max}. */
    public Builder backoff(Duration base, Duration max) {
      this.baseBackoff = base;
      this.maxBackoff = max;
      return this;
    }

    /** The longest wait honoured from {@code Retry-After} or {@code X-RateLimit-Reset}. */
    public Builder maxPause(Duration value) {
      this.maxPause = value;
      return this;
    }

    /** Requests in flight at once per organization (Azure DevOps counts usage per user). */
    public Builder concurrencyPerOrganization(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("concurrencyPerOrganization must be at least 1");
      }
      this.concurrencyPerOrganization = value;
      return this;
    }

    /** Projects asked for per page ({@code $top}). */
    public Builder pageSize(int value) {
      this.pageSize = value;
      return this;
    }

    public AzureDevOpsClient build() {
      return new AzureDevOpsClient(this);
    }
  }
}
