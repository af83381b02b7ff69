package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One REST call to one organization, made robust by steps around the send: allow-list on every
 * hop ({@link RedirectGuard}), bounded concurrency ({@link BoundedSender}), api-version negotiation
 * ({@link VersionNegotiation}), throttling and rate-limit pacing ({@link Pacing}), retries with
 * jittered backoff ({@link Retry}), per-call timeout, and Azure DevOps' ways of saying "credential
 * not accepted" ({@link Decoding}). Logs name the organization, method and path; never headers.
 */
public final class Exchange {

  static final String FED_AUTH_REDIRECT = RedirectGuard.FED_AUTH_REDIRECT;

  record Limits(Duration requestTimeout, Duration idleBody, int maxAttempts, Duration baseBackoff,
      Duration maxBackoff, Duration maxPause, int concurrency) {}

  /** A successful answer: its JSON body (null when empty, or when raw bytes were asked for), bytes and headers. */
  public record Answer(JsonNode body, byte[] bytes, HttpHeaders headers) {}

  private final AllowList allowList;
  private final RedirectGuard redirects;
  private final Pacing pacing;
  private final Retry retry;
  private final Limits limits;
  private final Map<URI, OrganizationState> organizations;

  private final HttpClient http;
  private final Sleeper sleeper;
  private final Random random;

  Exchange(HttpClient http, AllowList allowList, Sleeper sleeper, Clock clock, Random random, Limits limits) {
    this(http, allowList, sleeper, clock, random, limits, new ConcurrentHashMap<>());
  }

  private Exchange(HttpClient http, AllowList allowList, Sleeper sleeper, Clock clock, Random random, Limits limits,
      Map<URI, OrganizationState> organizations) {
    this.http = http;
    this.sleeper = sleeper;
    this.random = random;
    this.allowList = allowList;
    this.redirects = new RedirectGuard(new BoundedSender(http, new StalledBodies(limits.idleBody())), allowList,
        limits.requestTimeout());
    this.pacing = new Pacing(clock, sleeper, limits.maxPause());
    this.retry = new Retry(limits.maxAttempts(), limits.baseBackoff(), limits.maxBackoff(), random);
    this.limits = limits;
    this.organizations = organizations;
  }

  /**
   * This exchange with other limits, sharing its organizations' state: their pauses for throttling,
   * their bound on calls in flight and their api-versions.
   */
  Exchange withLimits(Limits other) {
    return new Exchange(http, allowList, sleeper, pacing.clock(), random, other, organizations);
  }

  /**
   * Makes {@code request}: waits out a pause, sends, paces by the answer, steps the api-version
   * down when the server is older, and repeats what {@link Retry#isRetriable} allows.
   */
  public Answer send(OrganizationUrl organization, Credential credential, AdoRequest request) {
    allowList.check(organization);
    OrganizationState state = state(organization);
    String what = request.describe(organization);
    int attempt = 1;
    while (true) {
      String version = state.apiVersion.get();
      URI uri = organization.resolve(request.path(version));
      pacing.await(organization, state);
      Received response;
      try {
        response = redirects.send(organization, state, credential, request, uri);
      } catch (IOException e) {
        String failure = e instanceof HttpTimeoutException
            ? "no answer within " + limits.requestTimeout().toMillis() + " ms" : Decoding.describe(e);
        if (!retry.again(attempt, e, 0, request.isIdempotent())) {
          throw new AzureDevOpsRequestException(organization, what + " failed after " + attempt
              + " attempt(s): " + failure, 0, null, e);
        }
        Duration wait = retry.backoff(attempt);
        retry.log(what, failure, attempt, wait);
        pacing.sleep(organization, wait);
        attempt++;
        continue;
      }
      int status = response.statusCode();
      pacing.observe(organization, state, status, response.headers());
      Decoding.requireAccepted(organization, status);
      if (response.isSuccess()) {
        state.answered = true;
        return Decoding.answer(organization, what, response, request);
      }
      JsonNode error = Decoding.errorBody(response);
      if (VersionNegotiation.isOutOfRange(status, error)) {
        VersionNegotiation.stepDown(organization, state, version, error);
        continue;
      }
      if (!retry.again(attempt, null, status, request.isIdempotent())) {
        throw new AzureDevOpsRequestException(organization, what + " answered " + status
            + (attempt > 1 ? " after " + attempt + " attempts" : "") + Decoding.message(error),
            status, error.path("typeKey").asText(null), null);
      }
      Duration wait = pacing.retryAfterCapped(response.headers()).orElse(retry.backoff(attempt));
      retry.log(what, status == 429 ? "throttled (429)" : "server error " + status, attempt, wait);
      if (status == 429) {
        // Throttling is per user: every call to this organization holds off, not just this one.
        pacing.pauseAll(state, wait);
      } else {
        pacing.sleep(organization, wait);
      }
      attempt++;
    }
  }

  /** The clock calls are paced by (and exporters read the date from). */
  public Clock clock() {
    return pacing.clock();
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
    return send(organization, credential, AdoRequest.get(path));
  }

  /**
   * A GET of a preview API: {@code version} turns the negotiated api-version into the one the
   * resource wants (e.g. {@code 7.1} into {@code 7.1-preview.4}).
   */
  public Answer get(OrganizationUrl organization, Credential credential, String path, UnaryOperator<String> version) {
    return send(organization, credential, AdoRequest.get(path).version(version));
  }

  /**
   * A GET whose answer is a file (an attachment), not JSON, streamed into {@code reader}; an HTML
   * answer still means "not accepted".
   */
  public void download(OrganizationUrl organization, Credential credential, String path,
      AdoRequest.BodyReader reader) {
    send(organization, credential, AdoRequest.get(path).streamTo(reader));
  }

  /** A GET of a versioned API whose answer is declared {@code text/plain} (a release definition revision). */
  public Answer getRaw(OrganizationUrl organization, Credential credential, String path,
      UnaryOperator<String> version) {
    return send(organization, credential, AdoRequest.get(path).version(version).text());
  }

  public Answer post(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return send(organization, credential, AdoRequest.post(path).json(body));
  }

  /** A POST to a preview API (see {@link #get(OrganizationUrl, Credential, String, UnaryOperator)}). */
  public Answer post(OrganizationUrl organization, Credential credential, String path, JsonNode body,
      UnaryOperator<String> version) {
    return send(organization, credential, AdoRequest.post(path).json(body).version(version));
  }

  /** A JSON Patch document ({@code method} POST to create, PATCH to update), as work items take them. */
  public Answer patch(OrganizationUrl organization, Credential credential, String method, String path,
      JsonNode patch) {
    return send(organization, credential, AdoRequest.of(method, path).jsonPatch(patch));
  }

  /** Replaces ({@code PUT}) or changes ({@code PATCH}) a JSON resource, such as team settings or board columns. */
  public Answer update(OrganizationUrl organization, Credential credential, String method, String path,
      JsonNode body) {
    return send(organization, credential, AdoRequest.of(method, path).json(body));
  }

  /** An update of a preview API (see {@link #get(OrganizationUrl, Credential, String, UnaryOperator)}). */
  public Answer update(OrganizationUrl organization, Credential credential, String method, String path,
      JsonNode body, UnaryOperator<String> version) {
    return send(organization, credential, AdoRequest.of(method, path).json(body).version(version));
  }

  /** Uploads a file (an attachment) streamed from what {@code open} opens (again for a retry). */
  public Answer upload(OrganizationUrl organization, Credential credential, String path,
      Supplier<InputStream> open) {
    return send(organization, credential, AdoRequest.post(path).file(open));
  }

  /**
   * Uploads bytes {@code offset} to {@code offset + length - 1} of a {@code total}-byte file as one
   * chunk of a chunked upload (a PUT with {@code Content-Range}), streamed from what {@code open}
   * opens (again for a retry: putting the same range twice is harmless).
   */
  public Answer uploadChunk(OrganizationUrl organization, Credential credential, String path, long offset,
      long length, long total, Supplier<InputStream> open) {
    return send(organization, credential, AdoRequest.put(path)
        .file(length, open, "bytes " + offset + "-" + (offset + length - 1) + "/" + total));
  }

  /**
   * A Git LFS batch request: git's API, not REST (no api-version, LFS media type), answered as
   * bytes; it only reads, so it is repeated like a GET.
   */
  public Answer lfsBatch(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return send(organization, credential, AdoRequest.post(path).noApiVersion().lfs(body).idempotent());
  }

  /**
   * Downloads a Git LFS object the organization serves, streamed into {@code reader}, with the
   * headers its batch answer asked for (they replace Bunker's own, such as Accept).
   */
  public void lfsDownload(OrganizationUrl organization, Credential credential, String path,
      Map<String, String> headers, AdoRequest.BodyReader reader) {
    send(organization, credential, AdoRequest.get(path).noApiVersion().streamTo(reader).headers(headers));
  }

  /**
   * Uploads a Git LFS object ({@code basic} transfer: a PUT of its bytes to where the batch answer
   * said, with the headers it asked for), streamed; content-addressed, so repeating it is safe.
   */
  public void lfsUpload(OrganizationUrl organization, Credential credential, String path,
      Map<String, String> headers, long size, Supplier<InputStream> open) {
    send(organization, credential, AdoRequest.put(path).noApiVersion().file(size, open, null).bytes()
        .headers(headers));
  }

  /** A POST that only reads (WIQL, batch reads): safe to repeat like a GET. */
  public Answer query(OrganizationUrl organization, Credential credential, String path, JsonNode body) {
    return send(organization, credential, AdoRequest.post(path).json(body).idempotent());
  }

  private OrganizationState state(OrganizationUrl organization) {
    return organizations.computeIfAbsent(organization.uri(), u -> new OrganizationState(limits.concurrency()));
  }
}
