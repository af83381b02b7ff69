package dev.bunker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A repository's Git LFS server, as Azure DevOps serves it next to the git URL: the batch API
 * ({@code POST <remoteUrl>/info/lfs/objects/batch}, download and upload, basic transfer), object
 * downloads it links to on the same host, and uploads ({@code PUT}, checked against the oid).
 * A download action carries the {@code header} an Azure DevOps Server answers with,
 * {@code {"Accept":"application/vnd.git-lfs"}} (a live answer in git-lfs/git-lfs#4507), and the
 * download needs it: the batch API's {@code header} is "HTTP header key/value pairs to apply to
 * the request" (git-lfs docs/api/batch.md), so a client that drops it gets the 406 that doc gives
 * for a wrong Accept.
 */
final class LfsApi {
  static final String MARKER = "/info/lfs/objects";
  private static final String TYPE = "application/vnd.git-lfs+json";
  /** What a download action asks the client to accept. */
  static final String DOWNLOAD_ACCEPT = "application/vnd.git-lfs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LfsApi() {}

  static void handle(AdoSandbox sandbox, HostedRepository repository, String path, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    String base = path.substring(0, path.indexOf(MARKER) + MARKER.length());
    String rest = path.substring(base.length());
    if (rest.equals("/batch") && request.getMethod().equals("POST")) {
      batch(sandbox.url() + base, repository, JSON.readTree(request.getInputStream()), response);
    } else if (rest.matches("/[0-9a-f]{64}") && request.getMethod().equals("GET")) {
      if (!DOWNLOAD_ACCEPT.equals(request.getHeader("Accept"))) {
        message(response, 406, "The Accept header needs to be " + DOWNLOAD_ACCEPT + ", as the batch answer said");
        return;
      }
      Optional<byte[]> object = repository.lfsObject(rest.substring(1));
      if (object.isEmpty()) {
        message(response, 404, "Object does not exist");
        return;
      }
      response.setStatus(200);
      response.setContentType("application/octet-stream");
      response.getOutputStream().write(object.get());
    } else if (rest.matches("/[0-9a-f]{64}") && request.getMethod().equals("PUT")) {
      upload(repository, rest.substring(1), request, response);
    } else {
      message(response, 404, "Not found");
    }
  }

  private static void batch(String objectsUrl, HostedRepository repository, JsonNode request,
      HttpServletResponse response) throws IOException {
    String operation = request.path("operation").asText();
    if (!operation.equals("download") && !operation.equals("upload")) {
      message(response, 422, "Unknown operation " + operation);
      return;
    }
    ObjectNode answer = JSON.createObjectNode().put("transfer", "basic");
    ArrayNode objects = answer.putArray("objects");
    for (JsonNode wanted : request.path("objects")) {
      String oid = wanted.path("oid").asText();
      ObjectNode object = objects.addObject().put("oid", oid).put("size", wanted.path("size").asLong());
      if (operation.equals("upload")) {
        if (repository.lfsObject(oid).isEmpty()) {
          object.put("authenticated", true).putObject("actions").putObject("upload")
              .put("href", objectsUrl + "/" + oid).put("expires_in", 3600);
        }
      } else if (repository.lfsObject(oid).isPresent()) {
        ObjectNode download = object.put("authenticated", true).putObject("actions").putObject("download")
            .put("href", objectsUrl + "/" + oid);
        download.putObject("header").put("Accept", DOWNLOAD_ACCEPT);
        download.put("expires_in", 3600);
      } else {
        object.putObject("error").put("code", 404).put("message", "Object does not exist");
      }
    }
    response.setStatus(200);
    response.setContentType(TYPE);
    response.getOutputStream().write(JSON.writeValueAsBytes(answer));
  }

  private static void upload(HostedRepository repository, String oid, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    byte[] content = request.getInputStream().readAllBytes();
    String actual;
    try {
      actual = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
    if (!actual.equals(oid)) {
      message(response, 422, "The content does not match oid " + oid);
      return;
    }
    repository.storeLfsObject(oid, content);
    response.setStatus(200);
  }

  private static void message(HttpServletResponse response, int status, String message) throws IOException {
    response.setStatus(status);
    response.setContentType(TYPE);
    response.getOutputStream().write(JSON.writeValueAsString(JSON.createObjectNode().put("message", message))
        .getBytes(StandardCharsets.UTF_8));
  }
}
