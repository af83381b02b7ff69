package dev.bunker.sandbox;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything in front of git and the REST API: the request log, Azure DevOps' authentication
 * answers, switchable faults, and routing.
 */
final class SandboxFilter implements Filter {

  static final String SIGN_IN_PATH = "/_signin";
  /** The header that asks Azure DevOps to answer 401 instead of a sign-in page. */
  static final String FED_AUTH_REDIRECT = "X-TFS-FedAuthRedirect";

  private static final ApiSurface SURFACE = ApiSurface.load();

  private final AdoSandbox sandbox;
  private final RestApi rest;

  SandboxFilter(AdoSandbox sandbox) {
    this.sandbox = sandbox;
    this.rest = new RestApi(sandbox);
  }

  @Override
  public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) servletRequest;
    HttpServletResponse response = (HttpServletResponse) servletResponse;
    String path = request.getPathInfo() == null ? request.getRequestURI() : request.getPathInfo();
    String authorization = request.getHeader("Authorization");
    String scheme = authorization == null ? null : authorization.split(" ", 2)[0];
    response.setHeader("ActivityId", UUID.randomUUID().toString());
    Optional<String> service = ServiceHosts.addressed(request.getServerName());
    RequestLog.Entry logged = sandbox.record(new RecordedRequest(Instant.now(), request.getMethod(), path,
        request.getQueryString(), 0, scheme));
    try {
      if (service.isPresent()) {
        // Answers name the host they were addressed to, as the service's do, not the loopback address.
        AddressedAnswer answer =
            new AddressedAnswer(response, sandbox.url(), "https://" + ServiceHosts.host(service.get()));
        serve(request, answer, chain, path, authorization, service);
        answer.finish();
      } else {
        serve(request, response, chain, path, authorization, service);
      }
    } finally {
      logged.answered(response.getStatus());
      checkSurface(request, path, service);
    }
  }

  /**
   * Holds Bunker's own requests against the API surface table: REST and Git LFS calls come from its
   * Exchange ({@code User-Agent: Bunker}), git's from JGit or git with Bunker's git headers (which
   * add {@link #FED_AUTH_REDIRECT}). A test's own requests carry neither and are not checked.
   */
  private void checkSurface(HttpServletRequest request, String path, Optional<String> service) {
    boolean bunker = "Bunker".equals(request.getHeader("User-Agent"))
        || path.contains(GitRoute.MARKER) && "Suppress".equalsIgnoreCase(request.getHeader(FED_AUTH_REDIRECT));
    if (!bunker) {
      return;
    }
    sandbox.organizationFor(path).ifPresent(organization -> {
      String route = request.getRequestURI().substring(1 + organization.path().length()).replaceFirst("^/", "");
      // Addressed to a cloud host, the request must be on the service the table names; at the
      // loopback address (served like a Server collection) any service's row matches.
      SURFACE.violation(service.map(s -> s.isEmpty() ? "core" : s).orElse(null), request.getMethod(), route,
          request.getQueryString())
          .ifPresent(sandbox::outsideSurface);
    });
  }

  private void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      String path, String authorization, Optional<String> service) throws IOException, ServletException {
    if (path.equals(SIGN_IN_PATH)) {
      signInPage(response, HttpServletResponse.SC_OK);
      return;
    }
    Optional<Organization> organization = sandbox.organizationFor(path);
    boolean git = path.contains(GitRoute.MARKER);
    if (organization.isEmpty()) {
      RestApi.error(response, 404, "VS800075: The organization or collection in " + path
          + " does not exist.", "AccountNotFoundException");
      return;
    }
    if (service.isPresent() && !servedOn(service.get(), organization.get(), path, git, response)) {
      return;
    }
    if (authorization == null) {
      // Three challenges, as Azure DevOps sends them; git clients pick Basic.
      response.addHeader("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/common");
      response.addHeader("WWW-Authenticate", "Basic realm=\"" + sandbox.url() + "/\"");
      response.addHeader("WWW-Authenticate", "TFS-Federated");
      response.setStatus(401);
      return;
    }
    Optional<AdoSandbox.Identity> identity = authenticate(authorization);
    if (identity.isEmpty()) {
      if (git || "Suppress".equalsIgnoreCase(request.getHeader(FED_AUTH_REDIRECT))) {
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + sandbox.url() + "/\"");
        RestApi.error(response, 401, "TF400813: The user is not authorized to access this resource.",
            "UnauthorizedRequestException");
      } else {
        signInPage(response, 203);
      }
      return;
    }
    if (applyFault(request, response, path)) {
      return;
    }
    if (git) {
      serveGit(request, response, chain, path);
    } else if (path.contains("/_apis/")) {
      rest.handle(organization.get(), identity.get(), path, request, response);
    } else {
      RestApi.error(response, 404, "The resource " + path + " does not exist.", "NotFoundException");
    }
  }

  private void serveGit(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      String path) throws IOException, ServletException {
    Optional<GitRoute> route = GitRoute.find(sandbox, path);
    if (route.isEmpty()) {
      plain(response, 404, "TF401019: The Git repository with name or identifier in " + path
          + " does not exist or you do not have permissions for the operation you are attempting.");
    } else if (route.get().repository().isDisabled()) {
      plain(response, 403, "TF401019: The Git repository " + route.get().repository().name()
          + " is disabled.");
    } else if (path.contains(LfsApi.MARKER)) {
      LfsApi.handle(sandbox, route.get().repository(), path, request, response);
    } else {
      HttpServletRequest served = GitProtocol.versionZero(request, path);
      if (GitProtocol.isAdvertisement(request, path)) {
        GitProtocol.KeptResponse kept = new GitProtocol.KeptResponse(response);
        serveGitWith(route.get(), path, served, kept, chain);
        kept.sendAdvertised();
        return;
      }
      if (GitProtocol.isUploadPack(request, path)) {
        byte[] body = request.getInputStream().readAllBytes();
        Optional<String> refusal = GitProtocol.refusal(request, body);
        if (refusal.isPresent()) {
          plain(response, 400, refusal.get());
          return;
        }
        served = GitProtocol.withBody(served, body);
      }
      serveGitWith(route.get(), path, served, response, chain);
    }
  }

  /** Hands a git request to the git server behind the sandbox: CGit's or JGit's. */
  private void serveGitWith(GitRoute route, String path, HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws IOException, ServletException {
    if (sandbox.servesGitWithCgit()) {
      String rest = path.substring(path.indexOf(GitRoute.MARKER) + GitRoute.MARKER.length());
      CgitBackend.serve(route.repository(), rest.substring(Math.max(0, rest.indexOf('/'))), request, response);
    } else {
      chain.doFilter(request, response);
    }
  }

  /**
   * Whether the cloud host a request was addressed to serves it (see {@link ServiceHosts}); if not,
   * answers 404 as a host answers for a route it does not have. Server collections are not on cloud hosts.
   */
  private static boolean servedOn(String service, Organization organization, String path, boolean git,
      HttpServletResponse response) throws IOException {
    int apis = path.indexOf("/_apis/");
    String area = apis < 0 ? "" : path.substring(apis + "/_apis/".length()).split("/", 2)[0];
    String serving = git || apis < 0 ? "" : ServiceHosts.serving(area);
    if (!organization.isServer() && serving.equals(service)) {
      return true;
    }
    String host = ServiceHosts.host(service);
    RestApi.error(response, 404, organization.isServer()
        ? "VS800075: The organization in " + path + " does not exist on " + host + "."
        : "The resource " + path + " is not served on " + host + (git || apis < 0 ? "" : "; area '" + area
            + "' is served on " + ServiceHosts.host(serving)) + ".",
        "VssResourceNotFoundException");
    return false;
  }

  /** Basic with any user name and a PAT as password (or user name), or a Bearer access token. */
  private Optional<AdoSandbox.Identity> authenticate(String authorization) {
    String[] parts = authorization.split(" ", 2);
    if (parts.length < 2) {
      return Optional.empty();
    }
    if (parts[0].equalsIgnoreCase("Bearer")) {
      return sandbox.identity(parts[1].trim(), "Bearer");
    }
    if (!parts[0].equalsIgnoreCase("Basic")) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    String password = colon < 0 ? decoded : decoded.substring(colon + 1);
    String user = colon < 0 ? "" : decoded.substring(0, colon);
    return sandbox.identity(password.isEmpty() ? user : password, "Basic");
  }

  /** Returns true when the fault answered the request itself. */
  private boolean applyFault(HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    Faults.Fault fault = sandbox.faults().take(path);
    if (fault == null) {
      return false;
    }
    switch (fault.kind()) {
      case THROTTLE -> {
        long seconds = Math.max(1, (fault.duration().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        rateLimitHeaders(response, fault.duration(), 0);
        RestApi.error(response, 429, "TF400733: The request has been canceled: Request was blocked due to "
            + "exceeding usage of resource 'Core' in namespace 'User'.", "RequestBlockedException");
        return true;
      }
      case RATE_LIMIT_WARNING -> {
        rateLimitHeaders(response, fault.duration(), 5);
        return false;
      }
      case FAIL -> {
        RestApi.error(response, fault.status(), "VS30063: The service is temporarily unavailable "
            + "(sandbox fault " + fault.status() + ").", "ServiceUnavailableException");
        return true;
      }
      case SLOW -> {
        sleep(fault.duration());
        return false;
      }
      case SIGN_IN_PAGE -> {
        signInPage(response, fault.status());
        return true;
      }
      case SIGN_IN_REDIRECT -> {
        String replyTo = request.getRequestURL().toString();
        response.setHeader("Location", sandbox.signInUrl() + "?realm=sandbox&reply_to="
            + URLEncoder.encode(replyTo, StandardCharsets.UTF_8));
        response.setStatus(302);
        return true;
      }
      case REDIRECT -> {
        response.setHeader("Location", fault.location().toString());
        response.setStatus(302);
        return true;
      }
      case RESET, STALL -> {
        // A promised body cut short: the client sees the connection end mid-response (after a
        // silence, for a stall).
        response.setContentType("application/json");
        response.setContentLength(4096);
        response.getOutputStream().write("{\"count\":".getBytes(StandardCharsets.US_ASCII));
        response.flushBuffer();
        if (fault.kind() == Faults.Kind.STALL) {
          sleep(fault.duration());
        }
        throw new IllegalStateException("sandbox fault: connection " + (fault.kind() == Faults.Kind.STALL
            ? "stalled, then dropped" : "reset"));
      }
      default -> throw new IllegalStateException("unknown fault " + fault.kind());
    }
  }

  private static void rateLimitHeaders(HttpServletResponse response, Duration resetIn, int remaining) {
    response.setHeader("X-RateLimit-Resource", "Core");
    response.setHeader("X-RateLimit-Delay", String.format(java.util.Locale.ROOT, "%.3f",
        resetIn.toMillis() / 1000.0));
    response.setHeader("X-RateLimit-Limit", "200");
    response.setHeader("X-RateLimit-Remaining", Integer.toString(remaining));
    response.setHeader("X-RateLimit-Reset",
        Long.toString(Instant.now().plus(resetIn).getEpochSecond()));
  }

  private static void signInPage(HttpServletResponse response, int status) throws IOException {
    response.setStatus(status);
    response.setContentType("text/html; charset=utf-8");
    response.getWriter().write("<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title>"
        + "</head><body><form id=\"signin\" method=\"post\"><p>Sign in to your account</p></form>"
        + "</body></html>");
  }

  private static void plain(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    response.getWriter().write(message + "\n");
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
