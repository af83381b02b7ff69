package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One REST call to one organization, made robust: allow-list on every hop, api-version
 * negotiation, throttling and rate-limit pacing, retries with jittered backoff, per-call timeout,
 * bounded concurrency, and Azure DevOps' ways of saying "credential not accepted". Logs name the
 * organization, method and path; never headers.
 */
public final class Exchange {

  static final String FED_AUTH_REDIRECT = "X-TFS-FedAuthRedirect";
  private static final Logger LOG = Logger.getLogger("dev.bunker.ado");
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> SIGN_IN_HOSTS = Set.of("login.microsoftonline.com",
      "login.microsoft.com", "login.windows.net", "login.live.com");
  private static final Pattern SUPPORTED_VERSION =
      Pattern.compile("latest REST API version this server supports is (\\d+\\.\\d+)");
  private static final int MAX_REDIRECTS = 5;
  private static final String JSON_TYPE = "application/json";
  static final String LFS_TYPE = "application/vnd.git-lfs+json";

  record Limits(Duration requestTimeout, int maxAttempts, Duration baseBackoff, Duration maxBackoff,
      Duration maxPause, int concurrency) {}

  /** A successful answer: its JSON body (null when empty, or when raw bytes were asked for), bytes and headers. */
  public record Answer(JsonNode body, byte[] bytes, HttpHeaders headers) {}

  /** Reads a streamed answer's body (a large file): it is never held whole in memory. */
  @FunctionalInterface
  public interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /**
   * A request body that a retry can send again (a streamed one is opened anew); {@code contentRange}
   * names the part of a file it is (a chunk of a chunked upload), or is null.
   */
  record Payload(String contentType, Supplier<HttpRequest.BodyPublisher> publisher, String contentRange) {
    Payload(String contentType, Supplier<HttpRequest.BodyPublisher> publisher) {
      this(contentType, publisher, null);
    }

    static Payload of(byte[] bytes, String contentType) {
      return bytes == null ? null : new Payload(contentType, () -> HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    /** {@code length} bytes from a stream {@code open} opens; each attempt opens it again. */
    static Payload streamed(String contentType, long length, Supplier<InputStream> open) {
      return new Payload(contentType, () -> HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(open), length));
    }
  }

  /** An answer as received: a streamed body only for a successful streamed call, else its bytes. */
  private record Received(int statusCode, HttpHeaders headers, byte[] body, InputStream stream) {}

  /** What is learnt about one organization and shared by all calls to it. */
  private static final class OrganizationState {
    final AtomicReference<String> apiVersion = new AtomicReference<>(AzureDevOpsClient.API_VERSIONS.get(0));
    final AtomicReference<Instant> pausedUntil = new AtomicReference<>();
    /** Whether a call has been answered, so {@link #apiVersion} is the organization's, not a first guess. */
    volatile boolean answered;
    final Semaphore inFlight;

    OrganizationState(int concurrency) {
      inFlight = new Semaphore(concurrency, true);
    }
  }

  private final HttpClient http;
  private final AllowList allowList;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Random random;
  private final Limits limits;
  private final Map<URI, OrganizationState> organizations = new ConcurrentHashMap<>();

  Exchange(HttpClient http, AllowList allowList, Sleeper sleeper, Clock clock, Random random, Limits limits) {
    this.http = http;
    this.allowList = allowList;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
    this.limits = limits;
  }

  /** The clock calls are paced by (and exporters read the date from). */
  public Clock clock() {
    return clock;
  }

  public String apiVersion(OrganizationUrl organization) {
    return state(organization).apiVersion.get();
  }

  /**
   * The api-version {@code organization} speaks, asking it ({@code _apis/connectionData}) first
   * when no call to it has been answered yet: what an exporter calls may depend on it.
   */
  public String negotiatedVersion(OrganizationUrl organization, Credential credential) {
    if (!state(organization).answered) {
      get(organization, credential, "_apis/connectionData");
    }
    return apiVersion(organization);
  }

  public Answer get(OrganizationUrl organization, Credential credential, String path) {
    return call(organization, credential, "GET", path, null, true, UnaryOperator.identity(), false, null);
  }

  /**
   * A GET of a preview API: {@code version} turns the negotiated api-version into the one the
   * resource wants (e.g. {@code 7.1} into {@code 7.1-preview.4}).
   */
  public Answer get(OrganizationUrl organization, Credential credential, String path, UnaryOperator<String> version) {
    return call(organization, credential, "GET", path, null, true, version, false, null);
  }

  /**
   * A GET whose answer is a file (an attachment), not JSON, streamed into {@code reader}; an HTML
   * answer still means "not accepted".
   */
  public void download(OrganizationUrl organization, Credential credential, String path, BodyReader reader) {
    call(organization, credential, "GET", path, null, true, UnaryOperator.identity(), true, reader);
  }

  /** A GET of a versioned API whose answer is declared {@code text/plain} (a release definition revision). */
  public Answer getRaw(OrganizationUrl organization, Credential credential, String path, UnaryOperator<String> version) {
    return call(organization, credential, "GET", path, null, true, version, true, null);
  }

  public Answer post(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return call(organization, credential, "POST", path, Payload.of(bytes(body), JSON_TYPE), false,
        UnaryOperator.identity(), false, null);
  }

  /** A POST to a preview API (see {@link #get(OrganizationUrl, Credential, String, UnaryOperator)}). */
  public Answer post(OrganizationUrl organization, Credential credential, String path, JsonNode body,
      UnaryOperator<String> version) {
    return call(organization, credential, "POST", path, Payload.of(bytes(body), JSON_TYPE), false, version, false,
        null);
  }

  /** A JSON Patch document ({@code method} POST to create, PATCH to update), as work items take them. */
  public Answer patch(OrganizationUrl organization, Credential credential, String method, String path, JsonNode patch) {
    return call(organization, credential, method, path, Payload.of(bytes(patch), "application/json-patch+json"),
        false, UnaryOperator.identity(), false, null);
  }

  /** Replaces ({@code PUT}) or changes ({@code PATCH}) a JSON resource, such as team settings or board columns. */
  public Answer update(OrganizationUrl organization, Credential credential, String method, String path, JsonNode body) {
    return update(organization, credential, method, path, body, UnaryOperator.identity());
  }

  /** An update of a preview API (see {@link #get(OrganizationUrl, Credential, String, UnaryOperator)}). */
  public Answer update(OrganizationUrl organization, Credential credential, String method, String path, JsonNode body,
      UnaryOperator<String> version) {
    return call(organization, credential, method, path, Payload.of(bytes(body), JSON_TYPE), method.equals("PUT"),
        version, false, null);
  }

  /** Uploads a file (an attachment) streamed from what {@code open} opens (again for a retry). */
  public Answer upload(OrganizationUrl organization, Credential credential, String path, Supplier<InputStream> open) {
    return call(organization, credential, "POST", path, new Payload("application/octet-stream",
        () -> HttpRequest.BodyPublishers.ofInputStream(open)), false, UnaryOperator.identity(), false, null);
  }

  /**
   * Uploads bytes {@code offset} to {@code offset + length - 1} of a {@code total}-byte file as one
   * chunk of a chunked upload (a PUT with {@code Content-Range}), streamed from what {@code open}
   * opens (again for a retry: putting the same range twice is harmless).
   */
  public Answer uploadChunk(OrganizationUrl organization, Credential credential, String path, long offset, long length,
      long total, Supplier<InputStream> open) {
    Payload chunk = new Payload("application/octet-stream", () -> HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(open), length),
        "bytes " + offset + "-" + (offset + length - 1) + "/" + total);
    return call(organization, credential, "PUT", path, chunk, true, UnaryOperator.identity(), false, null);
  }

  /**
   * A Git LFS batch request: git's API, not REST (no api-version, LFS media type), answered as
   * bytes; it only reads, so it is repeated like a GET.
   */
  public Answer lfsBatch(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return call(organization, credential, "POST", path, Payload.of(bytes(body), LFS_TYPE), true, null, true, null);
  }

  /**
   * Downloads a Git LFS object the organization serves, streamed into {@code reader}, with the
   * headers its batch answer asked for (they replace Bunker's own, such as Accept).
   */
  public void lfsDownload(OrganizationUrl organization, Credential credential, String path, Map<String, String> headers,
      BodyReader reader) {
    call(organization, credential, "GET", path, null, true, null, true, reader, headers);
  }

  /**
   * Uploads a Git LFS object ({@code basic} transfer: a PUT of its bytes to where the batch answer
   * said, with the headers it asked for), streamed; content-addressed, so repeating it is safe.
   */
  public void lfsUpload(OrganizationUrl organization, Credential credential, String path, Map<String, String> headers,
      long size, Supplier<InputStream> open) {
    call(organization, credential, "PUT", path, Payload.streamed("application/octet-stream", size, open), true, null,
        true, null, headers);
  }

  /** A POST that only reads (WIQL, batch reads): safe to repeat like a GET. */
  public Answer query(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return call(organization, credential, "POST", path, Payload.of(bytes(body), JSON_TYPE), true,
        UnaryOperator.identity(), false, null);
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return AdoJson.JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write request body", e);
    }
  }

  /**
   * Only GET is repeated after an unclear failure (timeout, dropped connection, 5xx); other methods
   * only when the request surely had no effect (refused connection, 429, 503).
   */
  private Answer call(OrganizationUrl organization, Credential credential, String method, String path, Payload body,
      boolean idempotent, UnaryOperator<String> versionFor, boolean raw, BodyReader reader) {
    return call(organization, credential, method, path, body, idempotent, versionFor, raw, reader, Map.of());
  }

  /** As above, with {@code headers} set over Bunker's own (never Authorization: callers leave it out). */
  private Answer call(OrganizationUrl organization, Credential credential, String method, String path, Payload body,
      boolean idempotent, UnaryOperator<String> versionFor, boolean raw, BodyReader reader,
      Map<String, String> headers) {
    allowList.check(organization);
    OrganizationState state = state(organization);
    String what = method + " " + stripQuery(path) + " on " + organization;
    int attempt = 1;
    while (true) {
      String version = state.apiVersion.get();
      // versionFor is null for git's own APIs (LFS), which take no api-version
      URI uri = organization.resolve(versionFor == null ? path
          : path + (path.contains("?") ? "&" : "?") + "api-version=" + versionFor.apply(version));
      awaitPause(organization, state);
      Received response;
      try {
        response = send(organization, state, credential, method, uri, body, raw, reader != null, headers);
      } catch (IOException e) {
        boolean retryable = idempotent || e instanceof ConnectException;
        String failure = e instanceof HttpTimeoutException
            ? "no answer within " + limits.requestTimeout().toMillis() + " ms" : describe(e);
        if (!retryable || attempt >= limits.maxAttempts()) {
          throw new AzureDevOpsRequestException(organization, what + " failed after " + attempt
              + " attempt(s): " + failure, 0, null, e);
        }
        Duration wait = backoff(attempt);
        logRetry(what, failure, attempt, wait);
        sleep(organization, wait);
        attempt++;
        continue;
      }
      int status = response.statusCode();
      pace(organization, state, status, response.headers());
      if (status == 203) {
        throw new CredentialNotAcceptedException(organization, "203 with a sign-in page");
      }
      if (status == 401) {
        throw new CredentialNotAcceptedException(organization, "401 Unauthorized");
      }
      if (status >= 200 && status < 300) {
        state.answered = true;
        if (reader != null) {
          return streamed(organization, what, response, reader);
        }
        return raw ? new Answer(null, notSignIn(organization, response), response.headers())
            : new Answer(json(organization, response), response.body(), response.headers());
      }
      JsonNode error = errorBody(response);
      if (status == 400 && isVersionOutOfRange(error)) {
        stepDown(organization, state, version, error);
        continue;
      }
      boolean transientStatus = status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
      boolean retryable = transientStatus && (idempotent || status == 429 || status == 503);
      if (!retryable || attempt >= limits.maxAttempts()) {
        throw new AzureDevOpsRequestException(organization, what + " answered " + status
            + (attempt > 1 ? " after " + attempt + " attempts" : "") + message(error),
            status, error.path("typeKey").asText(null), null);
      }
      Duration wait = retryAfterHeader(response.headers()).map(this::capped).orElse(backoff(attempt));
      logRetry(what, status == 429 ? "throttled (429)" : "server error " + status, attempt, wait);
      if (status == 429) {
        // Throttling is per user: every call to this organization holds off, not just this one.
        pauseUntil(state, clock.instant().plus(wait));
      } else {
        sleep(organization, wait);
      }
      attempt++;
    }
  }

  /** Sends, following redirects only while they stay on the allow-list and off sign-in pages. */
  private Received send(OrganizationUrl organization, OrganizationState state, Credential credential,
      String method, URI uri, Payload body, boolean raw, boolean stream, Map<String, String> headers)
      throws IOException {
    URI target = uri;
    String verb = method;
    Payload payload = body;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!allowList.allows(target)) {
        throw new OrganizationNotAllowedException(organization, target, "the organization redirected there");
      }
      HttpRequest.Builder request = HttpRequest.newBuilder(target)
          .timeout(limits.requestTimeout())
          .header("Authorization", credential.authorization())
          // Some resources (TFVC items) answer metadata to a JSON Accept and the file only to this.
          .header("Accept", payload != null && LFS_TYPE.equals(payload.contentType()) ? LFS_TYPE
              // getRaw: a release definition revision is text/plain (release/7.1/release.json)
              : raw && !stream && payload == null ? "text/plain"
              : raw ? "application/octet-stream" : "application/json")
          .header(FED_AUTH_REDIRECT, "Suppress")
          .header("User-Agent", "Bunker");
      headers.forEach(request::setHeader);
      if (payload != null) {
        request.header("Content-Type", payload.contentType()).method(verb, payload.publisher().get());
        if (payload.contentRange() != null) {
          request.header("Content-Range", payload.contentRange());
        }
      } else {
        request.method(verb, HttpRequest.BodyPublishers.noBody());
      }
      Received response = sendLimited(organization, state, request.build(), stream);
      if (!REDIRECTS.contains(response.statusCode())) {
        return response;
      }
      Optional<String> location = response.headers().firstValue("Location");
      if (location.isEmpty()) {
        return response;
      }
      URI next = target.resolve(location.get());
      if (isSignIn(next)) {
        throw new CredentialNotAcceptedException(organization, "redirected to a sign-in page");
      }
      if (!allowList.allows(next)) {
        throw new OrganizationNotAllowedException(organization, next, "the organization redirected there");
      }
      if (response.statusCode() == 303) {
        verb = "GET";
        payload = null;
      }
      target = next;
    }
    throw new AzureDevOpsRequestException(organization, "More than " + MAX_REDIRECTS + " redirects from "
        + organization, 0, null, null);
  }

  /**
   * Sends within the organization's concurrency bound. A successful streamed answer is handed on
   * unread (the caller reads it after the bound is released); every other body is read whole.
   */
  private Received sendLimited(OrganizationUrl organization, OrganizationState state, HttpRequest request,
      boolean stream) throws IOException {
    try {
      state.inFlight.acquire();
      try {
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (stream && status >= 200 && status < 300) {
          return new Received(status, response.headers(), null, response.body());
        }
        try (InputStream body = response.body()) {
          return new Received(status, response.headers(), body.readAllBytes(), null);
        }
      } finally {
        state.inFlight.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzureDevOpsException(organization, "Interrupted while calling " + organization, e);
    }
  }

  /** Azure DevOps may answer 200 with an HTML sign-in page: anything but JSON means "not accepted". */
  private JsonNode json(OrganizationUrl organization, Received response) {
    if (response.body().length == 0) {
      return AdoJson.JSON.nullNode();
    }
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new CredentialNotAcceptedException(organization,
          "the answer was " + (type.isEmpty() ? "not JSON" : type.split(";")[0]) + ", not JSON");
    }
    try {
      return AdoJson.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CredentialNotAcceptedException(organization, "the answer was not valid JSON");
    }
  }

  private static byte[] notSignIn(OrganizationUrl organization, Received response) {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (type.startsWith("text/html")) {
      throw new CredentialNotAcceptedException(organization, "the answer was an HTML page, not the file");
    }
    return response.body();
  }

  /** Hands a streamed answer to its reader; a failure while reading fails the call (it is not repeated). */
  private static Answer streamed(OrganizationUrl organization, String what, Received response, BodyReader reader) {
    try (InputStream body = response.stream()) {
      String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      if (type.startsWith("text/html")) {
        throw new CredentialNotAcceptedException(organization, "the answer was an HTML page, not the file");
      }
      reader.read(body);
      return new Answer(null, null, response.headers());
    } catch (IOException e) {
      throw new AzureDevOpsRequestException(organization, what + " failed while reading the answer: " + describe(e),
          0, null, e);
    }
  }

  private static JsonNode errorBody(Received response) {
    try {
      JsonNode node = AdoJson.JSON.readTree(response.body());
      return node == null ? AdoJson.JSON.missingNode() : node;
    } catch (IOException e) {
      return AdoJson.JSON.missingNode();
    }
  }

  private static boolean isVersionOutOfRange(JsonNode error) {
    return "VssVersionOutOfRangeException".equals(error.path("typeKey").asText())
        || error.path("message").asText().contains("is out of range for this server");
  }

  /** Moves to the newest known version the server says it supports, and remembers it. */
  private void stepDown(OrganizationUrl organization, OrganizationState state, String tried, JsonNode error) {
    Matcher supported = SUPPORTED_VERSION.matcher(error.path("message").asText());
    String ceiling = supported.find() ? supported.group(1) : null;
    String next = AzureDevOpsClient.API_VERSIONS.stream()
        .filter(v -> ApiVersions.compare(v, tried) < 0 && (ceiling == null || ApiVersions.compare(v, ceiling) <= 0))
        .findFirst()
        .orElseThrow(() -> new AzureDevOpsRequestException(organization, organization
            + " supports REST API versions only up to " + (ceiling == null ? "an unknown version" : ceiling)
            + "; Bunker needs api-version 5.0 (Azure DevOps Server 2019) or newer", 400,
            error.path("typeKey").asText(null), null));
    if (state.apiVersion.compareAndSet(tried, next)) {
      LOG.info(() -> organization + " does not support api-version " + tried + "; using " + next + " from now on");
    }
  }

  /** Slows down when Azure DevOps warns that the budget is nearly spent or asks to wait. */
  private void pace(OrganizationUrl organization, OrganizationState state, int status, HttpHeaders headers) {
    Duration pause = null;
    String reason = null;
    Optional<Duration> retryAfter = retryAfterHeader(headers);
    OptionalLong remaining = number(headers, "X-RateLimit-Remaining");
    OptionalLong limit = number(headers, "X-RateLimit-Limit");
    if (status != 429 && retryAfter.isPresent()) {
      pause = retryAfter.get();
      reason = "asked to wait (Retry-After)";
    } else if (status != 429 && remaining.isPresent() && limit.isPresent()
        && remaining.getAsLong() <= Math.max(1, limit.getAsLong() / 10)) {
      OptionalLong reset = number(headers, "X-RateLimit-Reset");
      pause = reset.isPresent()
          ? Duration.between(clock.instant(), Instant.ofEpochSecond(reset.getAsLong()))
          : Duration.ofSeconds(1);
      reason = "rate limit nearly used up (" + remaining.getAsLong() + " of " + limit.getAsLong()
          + " left for " + headers.firstValue("X-RateLimit-Resource").orElse("?") + ")";
    }
    if (pause != null && !pause.isNegative() && !pause.isZero()) {
      Duration wait = capped(pause);
      pauseUntil(state, clock.instant().plus(wait));
      String why = reason;
      LOG.info(() -> "Slowing down calls to " + organization + " for " + wait.toMillis() + " ms: " + why);
    }
  }

  private void awaitPause(OrganizationUrl organization, OrganizationState state) {
    Instant until = state.pausedUntil.get();
    if (until == null) {
      return;
    }
    Duration wait = Duration.between(clock.instant(), until);
    if (!wait.isNegative() && !wait.isZero()) {
      sleep(organization, wait);
    }
    state.pausedUntil.compareAndSet(until, null);
  }

  private void logRetry(String what, String failure, int attempt, Duration wait) {
    LOG.log(Level.WARNING, () -> "Retrying " + what + " after " + failure + " (attempt " + attempt
        + " of " + limits.maxAttempts() + "), waiting " + wait.toMillis() + " ms");
  }

  private static void pauseUntil(OrganizationState state, Instant until) {
    state.pausedUntil.accumulateAndGet(until,
        (current, proposed) -> current == null || proposed.isAfter(current) ? proposed : current);
  }

  private void sleep(OrganizationUrl organization, Duration wait) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AzureDevOpsException(organization, "Interrupted while waiting to call Azure DevOps", e);
    }
  }

  /** Exponential backoff with jitter: half fixed, half random, so retries from many workers spread. */
  private Duration backoff(int attempt) {
    long base = limits.baseBackoff().toMillis();
    long ceiling = Math.min(limits.maxBackoff().toMillis(), base << Math.min(attempt - 1, 20));
    return Duration.ofMillis(ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0)));
  }

  private Duration capped(Duration wait) {
    return wait.compareTo(limits.maxPause()) > 0 ? limits.maxPause() : wait;
  }

  /** {@code Retry-After} in seconds or as an HTTP date. */
  private Optional<Duration> retryAfterHeader(HttpHeaders headers) {
    Optional<String> value = headers.firstValue("Retry-After").map(String::trim);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private static OptionalLong number(HttpHeaders headers, String name) {
    try {
      return headers.firstValue(name).map(v -> OptionalLong.of((long) Double.parseDouble(v.trim())))
          .orElse(OptionalLong.empty());
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static boolean isSignIn(URI uri) {
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath().toLowerCase(Locale.ROOT);
    return SIGN_IN_HOSTS.contains(host) || path.contains("/_signin") || path.contains("/oauth2/");
  }

  private static String message(JsonNode error) {
    String text = error.path("message").asText("");
    if (text.isEmpty()) {
      return "";
    }
    return ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return "/" + (q < 0 ? path : path.substring(0, q));
  }

  private OrganizationState state(OrganizationUrl organization) {
    return organizations.computeIfAbsent(organization.uri(), u -> new OrganizationState(limits.concurrency()));
  }
}
