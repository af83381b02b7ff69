package dev.bunker.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;
import java.util.Set;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import reactor.core.publisher.Mono;

/**
 * Records every request the app sends to Azure Storage, retries included (each is a billed
 * transaction), as a flight recorder event {@value #EVENT}: the service, the method, what it
 * touched (a table, a queue, or the kind of blob: {@code manifest.json}, {@code pack}, {@code
 * ref}, a lease …) and the status. Nothing is recorded unless a recording enables the event, so
 * it costs nothing otherwise. Only those names leave the request: no account, key, signature,
 * organization or repository id.
 */
public final class StorageRequests implements HttpPipelinePolicy {
  public static final String EVENT = "dev.bunker.StorageRequest";

  /** The extensions of the blobs Bunker writes: packs, their indexes, reftables, exports, JSON. */
  private static final Set<String> EXTENSIONS = Set.of("pack", "idx", "ref", "bitmap", "rev", "json", "zip",
      "bundle");
  /** The folders Bunker names its blobs under. */
  private static final Set<String> FOLDERS = Set.of("orgs", "repos", "packs", "lfs", "lfs-index", "meta", "objects",
      "snapshots", "restores", "locks", "exports", "metadata");

  private final String service;

  private StorageRequests(String service) {
    this.service = service;
  }

  public static StorageRequests blob() {
    return new StorageRequests("blob");
  }

  public static StorageRequests table() {
    return new StorageRequests("table");
  }

  public static StorageRequests queue() {
    return new StorageRequests("queue");
  }

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    StorageRequestEvent event = begin(context.getHttpRequest());
    // a try the retry policy cancels (its timeout) was sent, and is billed, too
    return next.process().doOnNext(response -> end(event, response.getStatusCode()))
        .doOnError(error -> end(event, 0)).doOnCancel(() -> end(event, 0));
  }

  @Override
  public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    StorageRequestEvent event = begin(context.getHttpRequest());
    try {
      HttpResponse response = next.processSync();
      end(event, response.getStatusCode());
      return response;
    } catch (RuntimeException e) {
      end(event, 0);
      throw e;
    }
  }

  private StorageRequestEvent begin(HttpRequest request) {
    StorageRequestEvent event = new StorageRequestEvent();
    if (event.isEnabled()) {
      event.service = service;
      event.method = request.getHttpMethod().name();
      event.resource = resource(service, request.getUrl());
      event.begin();
    }
    return event;
  }

  /** Commits {@code event} once: a response can be followed by a cancel, and a request not begun is not. */
  private static void end(StorageRequestEvent event, int status) {
    synchronized (event) {
      if (event.isEnabled() && event.service != null && !event.ended) {
        event.ended = true;
        event.status = status;
        event.commit();
      }
    }
  }

  /**
   * What a request touched, from its URL (path-style as Azurite's or host-style as Azure's): the
   * table or queue name; for a blob its extension when it is one of Bunker's ({@code pack}, {@code
   * ref}, {@code zip} …), its name when that is {@code manifest.json}, or else the nearest of
   * Bunker's own folders ({@code lfs}, {@code lfs-index}, {@code restores} …), with the {@code comp}
   * operation ({@code lease}, {@code block}, {@code blocklist}, {@code list}) when there is one.
   * Only those fixed words: blob names also hold ids and names from Azure DevOps (a restore's
   * ledger names its identities), which must not reach a recording.
   */
  static String resource(String service, URL url) {
    String[] segments = decodedPath(url).split("/");
    String last = segments.length == 0 ? "" : segments[segments.length - 1];
    switch (service) {
      case "table" :
        int key = last.indexOf('(');
        return key < 0 ? last : last.substring(0, key);
      case "queue" :
        return segments.length >= 2 && last.equals("messages") ? segments[segments.length - 2] : last;
      default :
        String query = url.getQuery() == null ? "" : url.getQuery();
        String comp = parameter(query, "comp");
        String kind = parameter(query, "restype") != null ? "container" : blobKind(segments, last);
        return comp == null ? kind : kind + " " + comp;
    }
  }

  /** The path with {@code %2F} and the like decoded: the SDK encodes the slashes of a blob's name. */
  private static String decodedPath(URL url) {
    try {
      return url.toURI().getPath();
    } catch (URISyntaxException e) {
      return url.getPath();
    }
  }

  private static String blobKind(String[] segments, String last) {
    if (last.equals("manifest.json")) {
      return last;
    }
    int dot = last.lastIndexOf('.');
    if (dot > 0 && EXTENSIONS.contains(last.substring(dot + 1))) {
      return last.substring(dot + 1);
    }
    for (int i = segments.length - 2; i >= 0; i--) {
      if (FOLDERS.contains(segments[i])) {
        return segments[i];
      }
    }
    return "blob";
  }

  private static String parameter(String query, String name) {
    for (String parameter : query.split("&")) {
      if (parameter.startsWith(name + "=")) {
        return parameter.substring(name.length() + 1).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  @Name(EVENT)
  @Label("Storage request")
  @Category("Bunker")
  @Description("A request to Azure Storage: service, method, the table, queue or kind of blob, status")
  @StackTrace(false)
  static final class StorageRequestEvent extends Event {
    @Label("Service")
    String service;

    @Label("Method")
    String method;

    @Label("Resource")
    String resource;

    @Label("Status")
    int status;

    /** Not recorded (transient): whether it was committed. */
    transient boolean ended;
  }
}
