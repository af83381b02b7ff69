package dev.bunker.ado;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Git LFS objects of a repository, through its LFS batch API ({@code <remoteUrl>/info/lfs/objects/batch})
 * with the organization's credential: downloaded for a backup, uploaded for a restore, streamed
 * both ways. Objects move only to and from the organization itself (the credential never goes
 * elsewhere); the batch answer's own headers are not used.
 */
final class AzureDevOpsLfs {
  /** Objects asked for per batch request (servers take about this many). */
  static final int BATCH = 100;

  private final Exchange exchange;

  AzureDevOpsLfs(Exchange exchange) {
    this.exchange = exchange;
  }

  void download(OrganizationUrl organization, Credential credential, URI remoteUrl, List<LfsPointer> pointers,
      LfsReceiver sink) {
    String repository = repository(organization, remoteUrl);
    for (int from = 0; from < pointers.size(); from += BATCH) {
      List<LfsPointer> batch = pointers.subList(from, Math.min(pointers.size(), from + BATCH));
      JsonNode answer = batch(organization, credential, repository, "download", batch);
      for (LfsPointer pointer : batch) {
        JsonNode object = find(answer, pointer.oid());
        if (object == null || object.has("error")) {
          sink.unavailable(pointer, object == null ? "the LFS server did not answer for it"
              : "the LFS server answered " + object.path("error").path("code").asText() + ": "
                  + object.path("error").path("message").asText());
          continue;
        }
        String href = object.path("actions").path("download").path("href").asText("");
        var path = relative(organization, href);
        if (path.isEmpty()) {
          sink.unavailable(pointer, "its download is offered outside the organization, where Bunker does not send"
              + " the credential");
          continue;
        }
        exchange.lfsDownload(organization, credential, path.get(), body -> sink.object(pointer, body));
      }
    }
  }

  /**
   * Uploads the objects of {@code pointers} the repository's LFS server asks for (its batch answer
   * has an {@code upload} action for them; none for those it has), streamed from {@code open}.
   * Returns how many were uploaded; an object the server refuses fails the upload.
   */
  int upload(OrganizationUrl organization, Credential credential, URI remoteUrl, List<LfsPointer> pointers,
      Function<LfsPointer, InputStream> open) {
    String repository = repository(organization, remoteUrl);
    int uploaded = 0;
    for (int from = 0; from < pointers.size(); from += BATCH) {
      List<LfsPointer> batch = pointers.subList(from, Math.min(pointers.size(), from + BATCH));
      JsonNode answer = batch(organization, credential, repository, "upload", batch);
      for (LfsPointer pointer : batch) {
        JsonNode object = find(answer, pointer.oid());
        if (object != null && object.has("error")) {
          throw new AzureDevOpsException(organization, "the LFS server refused object " + pointer.oid() + ": "
              + object.path("error").path("message").asText(), null);
        }
        JsonNode action = object == null ? null : object.path("actions").path("upload");
        if (action == null || action.isMissingNode()) {
          continue; // the server has it
        }
        String path = relative(organization, action.path("href").asText(""))
            .orElseThrow(() -> new AzureDevOpsException(organization, "the LFS server wants object "
                + pointer.oid() + " uploaded outside the organization, where Bunker does not send the credential",
                null));
        exchange.lfsUpload(organization, credential, path, pointer.size(), () -> open.apply(pointer));
        uploaded++;
      }
    }
    return uploaded;
  }

  /** {@code url} as a path under the organization, if it is one. */
  private static Optional<String> relative(OrganizationUrl organization, String url) {
    String base = organization.toString() + "/";
    return url.toLowerCase(Locale.ROOT).startsWith(base.toLowerCase(Locale.ROOT))
        ? Optional.of(url.substring(base.length())) : Optional.empty();
  }

  private static JsonNode find(JsonNode answer, String oid) {
    for (JsonNode object : answer.path("objects")) {
      if (oid.equals(object.path("oid").asText())) {
        return object;
      }
    }
    return null;
  }

  private static JsonNode read(OrganizationUrl organization, byte[] body) {
    try {
      return AzureDevOpsMetadata.JSON.readTree(body);
    } catch (IOException e) {
      throw new AzureDevOpsException(organization, "the LFS batch answer was not JSON", e);
    }
  }

  /** The repository's path in the organization, where its LFS server answers. */
  private static String repository(OrganizationUrl organization, URI remoteUrl) {
    return relative(organization, remoteUrl.toString())
        .orElseThrow(() -> new AzureDevOpsException(organization, "repository " + remoteUrl
            + " is not in the organization", null));
  }

  /** One LFS batch request ({@code basic} transfers) for {@code pointers}. */
  private JsonNode batch(OrganizationUrl organization, Credential credential, String repository, String operation,
      List<LfsPointer> pointers) {
    ObjectNode request = AzureDevOpsMetadata.JSON.createObjectNode().put("operation", operation);
    request.putArray("transfers").add("basic");
    ArrayNode objects = request.putArray("objects");
    pointers.forEach(p -> objects.addObject().put("oid", p.oid()).put("size", p.size()));
    return read(organization, exchange.lfsBatch(organization, credential,
        repository + "/info/lfs/objects/batch", request).bytes());
  }
}
