package dev.bunker.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Bunker's HTTP API (docs/design.md §11) as a script would call it, through devhost. Every
 * response is kept, headers and body, so that the secret scan can read them all afterwards.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FINISHED_RUN = Set.of("succeeded", "partiallySucceeded", "failed");
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final Function<String, URI> base;
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

  Api(Function<String, URI> base) {
    this.base = base;
  }

  /** An answer of the API. */
  record Response(int status, HttpHeaders headers, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + headers.firstValue("content-type").orElse("") + " " + text;
    }
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response post(String path, Object body) {
    return send("POST", path, body instanceof String text ? text : write(body), "application/json");
  }

  Response put(String path, Object body) {
    return send("PUT", path, body instanceof String text ? text : write(body), "application/json");
  }

  Response send(String method, String path, String body, String contentType) {
    return send(method, path, body, contentType, Map.of());
  }

  /** A request with more headers, e.g. the {@code Origin} a browser would add. */
  Response send(String method, String path, String body, String contentType, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.apply(path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      seen.add(method + " " + path + " -> " + response.statusCode() + " " + response.headers().map() + "\n"
          + response.body());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every response so far: method, path, status, headers and body. */
  List<String> responses() {
    return List.copyOf(seen);
  }

  /** The body of a call that must answer {@code status}. */
  static JsonNode expect(int status, Response response) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + ", got " + response);
    }
    return response.text().isEmpty() ? null : response.json();
  }

  // --- the steps an admin takes -------------------------------------------------------------

  JsonNode registerWithPat(String url, String pat, Map<String, Object> policy) {
    Map<String, Object> body = new LinkedHashMap<>(Map.of("url", url, "pat", pat));
    if (policy != null) {
      body.put("policy", policy);
    }
    return expect(201, post("/api/organizations", body));
  }

  JsonNode startBackup(String organizationId) {
    return expect(202, post("/api/organizations/" + organizationId + "/backups", Map.of()));
  }

  /** Starts a run now and waits for it to finish; the finished run with its results. */
  JsonNode backUpNow(String organizationId) {
    return backUpNow(organizationId, RUN_TIMEOUT);
  }

  JsonNode backUpNow(String organizationId, Duration timeout) {
    return awaitRun(organizationId, startBackup(organizationId).get("id").asText(), timeout);
  }

  JsonNode awaitRun(String organizationId, String runId, Duration timeout) {
    return Waiting.until("run " + runId, timeout,
        () -> expect(200, get("/api/organizations/" + organizationId + "/backups/" + runId)),
        run -> FINISHED_RUN.contains(run.get("status").asText()));
  }

  JsonNode repositories(String organizationId) {
    return expect(200, get("/api/organizations/" + organizationId + "/repositories"));
  }

  /** The known repository named {@code name} of {@code project}. */
  JsonNode repository(String organizationId, String project, String name) {
    for (JsonNode repository : repositories(organizationId)) {
      if (repository.get("project").asText().equals(project) && repository.get("name").asText().equals(name)) {
        return repository;
      }
    }
    throw new AssertionError("no repository " + project + "/" + name + " in " + repositories(organizationId));
  }

  /** A snapshot's refs, name to object id, as the API reports them. */
  Map<String, String> snapshotRefs(String organizationId, String repositoryId, String snapshotId) {
    JsonNode details = expect(200, get(snapshotPath(organizationId, repositoryId, snapshotId)));
    Map<String, String> refs = new LinkedHashMap<>();
    details.get("refs").forEach(ref -> refs.put(ref.get("name").asText(), ref.get("objectId").asText()));
    return refs;
  }

  static String snapshotPath(String organizationId, String repositoryId, String snapshotId) {
    return "/api/organizations/" + organizationId + "/repositories/" + repositoryId + "/snapshots/" + snapshotId;
  }

  /**
   * Downloads snapshots as bundles the way a client should: ask for each, wait what the 202's
   * Retry-After says (once for all of them, as they are written in parallel), ask again at the
   * Location, and follow the 303 to the SAS URL. Keys are the snapshot paths.
   */
  Map<String, Path> downloadBundles(List<String> snapshotPaths, Path directory) {
    Map<String, String> pending = new LinkedHashMap<>();
    Map<String, URI> ready = new LinkedHashMap<>();
    snapshotPaths.forEach(path -> pending.put(path, path + "/bundle"));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!pending.isEmpty()) {
      int retryAfter = 0;
      for (var entry : new ArrayList<>(pending.entrySet())) {
        Response response = get(entry.getValue());
        if (response.status() == 303) {
          ready.put(entry.getKey(), URI.create(response.header("location")));
          pending.remove(entry.getKey());
        } else if (response.status() == 202) {
          retryAfter = Math.max(retryAfter, Integer.parseInt(response.header("retry-after")));
          entry.setValue(response.header("location"));
        } else {
          throw new AssertionError("bundle of " + entry.getKey() + ": " + response);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("bundles not ready in time: " + pending.keySet());
      }
      if (!pending.isEmpty()) {
        Waiting.pause(Duration.ofSeconds(retryAfter));
      }
    }
    Map<String, Path> files = new LinkedHashMap<>();
    int n = 0;
    for (var entry : ready.entrySet()) {
      Path file = directory.resolve("snapshot-" + n++ + ".bundle");
      try {
        HttpResponse<Path> download = http.send(HttpRequest.newBuilder(entry.getValue()).build(),
            HttpResponse.BodyHandlers.ofFile(file));
        if (download.statusCode() != 200) {
          throw new AssertionError("SAS download of " + entry.getKey() + " answered " + download.statusCode());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      files.put(entry.getKey(), file);
    }
    return files;
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
