package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One REST request as {@link Exchange#send} makes it: method and path (relative to the
 * organization, already encoded), which api-version it carries, its body, what it accepts, whether
 * it may be repeated after an unclear failure, and where a streamed answer goes. Built fluently:
 * {@code AdoRequest.get(path).version(ApiVersions::commentsVersion)}.
 */
public final class AdoRequest {
  static final String JSON_TYPE = "application/json";
  static final String LFS_TYPE = "application/vnd.git-lfs+json";

  /** What the answer is expected to be, which sets the Accept header and how the body is decoded. */
  enum Accept {
    /** A JSON document (an HTML page instead means "not accepted"). */
    JSON("application/json"),
    /** A versioned API declared {@code text/plain} (a release definition revision), kept as bytes. */
    TEXT("text/plain"),
    /** A file, kept as bytes or streamed; some resources (TFVC items) send the file only to this. */
    BYTES("application/octet-stream"),
    /** Git LFS's own media type. */
    LFS(LFS_TYPE);

    final String mediaType;

    Accept(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  /** Reads a streamed answer's body (a large file): it is never held whole in memory. */
  @FunctionalInterface
  public interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /**
   * A request body that a retry can send again (a streamed one is opened anew); {@code contentRange}
   * names the part of a file it is (a chunk of a chunked upload), or is null.
   */
  record Payload(String contentType, Supplier<HttpRequest.BodyPublisher> publisher, String contentRange) {}

  private final String method;
  private final String path;
  private UnaryOperator<String> version = UnaryOperator.identity();
  private Payload payload;
  private boolean idempotent;
  private Accept accept = Accept.JSON;
  private BodyReader reader;
  private Map<String, String> headers = Map.of();

  private AdoRequest(String method, String path, boolean idempotent) {
    this.method = method;
    this.path = path;
    this.idempotent = idempotent;
  }

  public static AdoRequest get(String path) {
    return new AdoRequest("GET", path, true);
  }

  /** A POST; one that only reads (WIQL, batch reads) is marked {@link #idempotent()}. */
  public static AdoRequest post(String path) {
    return new AdoRequest("POST", path, false);
  }

  /** A PUT is safe to repeat: it replaces the resource with the same thing again. */
  public static AdoRequest put(String path) {
    return new AdoRequest("PUT", path, true);
  }

  public static AdoRequest patch(String path) {
    return new AdoRequest("PATCH", path, false);
  }

  /** {@code method} as given (a work item's JSON Patch is POSTed to create it, PATCHed to change it). */
  public static AdoRequest of(String method, String path) {
    return new AdoRequest(method, path, method.equals("GET") || method.equals("PUT"));
  }

  /** Turns the negotiated api-version into the one a preview resource wants ({@code 7.1} into {@code 7.1-preview.4}). */
  public AdoRequest version(UnaryOperator<String> resourceVersion) {
    this.version = resourceVersion;
    return this;
  }

  /** Git's own APIs (LFS) take no api-version. */
  public AdoRequest noApiVersion() {
    this.version = null;
    return this;
  }

  /** Safe to repeat after an unclear failure (a timeout, a 5xx), like a GET. */
  public AdoRequest idempotent() {
    this.idempotent = true;
    return this;
  }

  public AdoRequest json(JsonNode body) {
    return body(JSON_TYPE, AdoJson.document(body));
  }

  /** A JSON Patch document, as work items take them. */
  public AdoRequest jsonPatch(JsonNode patch) {
    return body("application/json-patch+json", AdoJson.document(patch));
  }

  /** A Git LFS batch request, answered in LFS's media type. */
  public AdoRequest lfs(JsonNode body) {
    accept = Accept.LFS;
    return body(LFS_TYPE, AdoJson.document(body));
  }

  /** A file streamed from what {@code open} opens (again for a retry), of unknown length. */
  public AdoRequest file(Supplier<InputStream> open) {
    payload = new Payload("application/octet-stream", () -> HttpRequest.BodyPublishers.ofInputStream(open), null);
    return this;
  }

  /**
   * {@code length} bytes from what {@code open} opens (again for a retry), as the part of a file
   * {@code contentRange} names (null for a whole file).
   */
  public AdoRequest file(long length, Supplier<InputStream> open, String contentRange) {
    payload = new Payload("application/octet-stream", () -> HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(open), length), contentRange);
    return this;
  }

  /** The answer is a versioned API's {@code text/plain} document, kept as bytes. */
  public AdoRequest text() {
    accept = Accept.TEXT;
    return this;
  }

  /** The answer is a file, kept as bytes; an HTML answer still means "not accepted". */
  public AdoRequest bytes() {
    accept = Accept.BYTES;
    return this;
  }

  /** The answer is a file, streamed into {@code into} (a failure while reading is not repeated). */
  public AdoRequest streamTo(BodyReader into) {
    accept = Accept.BYTES;
    this.reader = into;
    return this;
  }

  /** Headers set over Bunker's own, such as an LFS batch answer asks for (never Authorization). */
  public AdoRequest headers(Map<String, String> values) {
    this.headers = Map.copyOf(values);
    return this;
  }

  private AdoRequest body(String contentType, byte[] bytes) {
    payload = new Payload(contentType, () -> HttpRequest.BodyPublishers.ofByteArray(bytes), null);
    return this;
  }

  String method() {
    return method;
  }

  /** The path with the api-version {@code negotiated} turns into, if the request carries one. */
  String path(String negotiated) {
    return version == null ? path
        : path + (path.contains("?") ? "&" : "?") + "api-version=" + version.apply(negotiated);
  }

  Payload payload() {
    return payload;
  }

  boolean isIdempotent() {
    return idempotent;
  }

  Accept accept() {
    return accept;
  }

  BodyReader reader() {
    return reader;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** How logs and errors name the request: method and path without its query. */
  String describe(OrganizationUrl organization) {
    int q = path.indexOf('?');
    return method + " /" + (q < 0 ? path : path.substring(0, q)) + " on " + organization;
  }
}
