package dev.bunker.ado.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bunker.store.LfsPointer;
import dev.bunker.store.LfsReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Git LFS objects of a repository, through its LFS batch API ({@code <remoteUrl>/info/lfs/objects/batch})
 * with the organization's credential: downloaded for a backup, uploaded for a restore, streamed
 * both ways. Objects move only to and from the organization itself (the credential never goes
 * elsewhere), with the headers each action of the batch answer asks for, but never one that
 * would replace the credential.
 */
public final class AzureDevOpsLfs {
  /** Objects asked for per batch request (servers take about this many). */
  static final int BATCH = 100;
  /**
   * Headers an action may not set: Bunker's credential, and those the HTTP client sets itself
   * (it refuses them).
   */
  private static final Set<String> NOT_FROM_ACTIONS =
      Set.of("authorization", "connection", "content-length", "expect", "host", "upgrade");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final Exchange exchange;

  public AzureDevOpsLfs(Exchange exchange) {
    this.exchange = exchange;
  }

  public void download(OrganizationUrl organization, Credential credential, URI remoteUrl, List<LfsPointer> pointers,
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
        JsonNode action = object.path("actions").path("download");
        var path = relative(organization, action.path("href").asText(""));
        if (path.isEmpty()) {
          sink.unavailable(pointer, "its download is offered outside the organization, where Bunker does not send"
              + " the credential");
          continue;
        }
        exchange.lfsDownload(organization, credential, path.get(), headers(action), body -> sink.object(pointer, body));
      }
    }
  }

  /**
   * Uploads the objects of {@code pointers} the repository's LFS server asks for (its batch answer
   * has an {@code upload} action for them; none for those it has), streamed from {@code open}.
   * Returns how many were uploaded; an object the server refuses fails the upload.
   */
  public int upload(OrganizationUrl organization, Credential credential, URI remoteUrl, List<LfsPointer> pointers,
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
        exchange.lfsUpload(organization, credential, path, headers(action), pointer.size(), () -> open.apply(pointer));
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

  /**
   * The {@code header} pairs of a batch answer's action ("HTTP header key/value pairs to apply to the
   * request", git-lfs docs/api/batch.md), e.g. Azure DevOps Server's
   * {@code {"Accept":"application/vnd.git-lfs"}} (git-lfs/git-lfs#4507). An Authorization pair is
   * left out (the organization gets Bunker's credential, and only the organization is called), as
   * are pairs HTTP does not allow.
   */
  static Map<String, String> headers(JsonNode action) {
    Map<String, String> headers = new LinkedHashMap<>();
    action.path("header").properties().forEach(pair -> {
      String name = pair.getKey();
      String value = pair.getValue().asText("");
      if (pair.getValue().isTextual() && HEADER_NAME.matcher(name).matches()
          && !NOT_FROM_ACTIONS.contains(name.toLowerCase(Locale.ROOT))
          && value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
        headers.put(name, value);
      }
    });
    return headers;
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
      return AdoJson.JSON.readTree(body);
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
    ObjectNode request = AdoJson.JSON.createObjectNode().put("operation", operation);
    request.putArray("transfers").add("basic");
    ArrayNode objects = request.putArray("objects");
    pointers.forEach(p -> objects.addObject().put("oid", p.oid()).put("size", p.size()));
    return read(organization, exchange.lfsBatch(organization, credential,
        repository + "/info/lfs/objects/batch", request).bytes());
  }
}
