package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableItem;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueStorageException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After every other test: no secret the tests handed Bunker or that was issued to it (PATs, the
 * OAuth client secret, refresh and access tokens) is in any table entity, queue message (poison
 * queues included), blob name or JSON blob, line of devhost's output, API response, URL Bunker
 * requested, or file the app wrote other than its local secret store.
 */
@ExtendWith(Stack.Extension.class)
@Order(100)
class SecretsIT {
  private final Stack stack;
  private Set<String> secrets;

  SecretsIT(Stack stack) {
    this.stack = stack;
  }

  @BeforeEach
  void secretsHandedToBunker() {
    secrets = stack.secrets();
  }

  @Test
  void noSecretInAnyTableEntity() {
    List<String> tables = stack.tables().listTables().stream().map(TableItem::getName).toList();
    assertThat(tables).isNotEmpty();
    for (String table : tables) {
      TableClient client = stack.tables().getTableClient(table);
      for (TableEntity entity : client.listEntities()) {
        assertNoSecret("table " + table + " entity " + entity.getPartitionKey() + "/" + entity.getRowKey(),
            entity.getPartitionKey() + " " + entity.getRowKey() + " " + entity.getProperties());
      }
    }
  }

  @Test
  void noSecretInAnyQueueMessage() throws IOException {
    List<String> queues = appQueues();
    assertThat(queues).contains("discover", "backup-repo", "backup-repo-poison", "backup-repo-poison-poison");
    for (String queue : queues) {
      QueueClient client = stack.queues().getQueueClient(queue);
      try {
        client.peekMessages(32, null, null).forEach(message -> {
          String body = message.getBody().toString();
          assertNoSecret("queue " + queue, body);
          assertNoSecret("queue " + queue + " (decoded)", decoded(body));
        });
      } catch (QueueStorageException e) {
        if (e.getStatusCode() != 404) {
          throw e;
        }
      }
    }
  }

  @Test
  void noSecretInBackupStorageNamesOrMetadata() {
    var service = stack.backups().getServiceClient();
    int blobs = 0;
    for (var container : service.listBlobContainers()) {
      var client = service.getBlobContainerClient(container.getName());
      for (var blob : client.listBlobs()) {
        blobs++;
        assertNoSecret("blob name", blob.getName());
        if (blob.getName().endsWith(".json")) {
          assertNoSecret("blob " + blob.getName(), client.getBlobClient(blob.getName()).downloadContent().toString());
        }
      }
    }
    assertThat(blobs).isPositive();
  }

  @Test
  void noSecretInDevhostOutput() {
    assertThat(stack.devhost.log()).contains("Executed 'Functions.backupRepository' (Succeeded");
    assertNoSecret("devhost output " + stack.devhost.logFile(), stack.devhost.log());
  }

  @Test
  void noSecretInAnyResponse() {
    List<String> responses = stack.api.responses();
    assertThat(responses).hasSizeGreaterThan(50);
    responses.forEach(response -> assertNoSecret("response", response));
  }

  @Test
  void noSecretInAnyUrlBunkerRequested() {
    List<RecordedRequest> requests = stack.sandbox.requests();
    assertThat(requests).isNotEmpty();
    requests.forEach(request -> assertNoSecret("request to the sandbox", request.path() + "?" + request.query()));
  }

  @Test
  void onlyTheLocalSecretStoreHoldsSecrets() throws IOException {
    List<Path> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(stack.work.resolve("app"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        if (secrets.stream().anyMatch(text::contains)) {
          holding.add(file);
        }
      }
    }
    assertThat(holding).as("files holding a secret").extracting(file -> file.getFileName().toString())
        .containsOnly("secrets.json");
  }

  /**
   * Every queue the packaged app reads (from its function.json files) and the poison queue of
   * each. (Azurite answers the SDK's list-queues call with a 400, so they are not listed.)
   */
  private List<String> appQueues() throws IOException {
    List<String> queues = new ArrayList<>();
    try (Stream<Path> functions = Files.list(stack.app)) {
      for (Path function : functions.map(dir -> dir.resolve("function.json")).filter(Files::exists).toList()) {
        for (JsonNode binding : Api.JSON.readTree(function.toFile()).get("bindings")) {
          if (binding.path("type").asText().equals("queueTrigger")) {
            queues.add(binding.get("queueName").asText());
            queues.add(binding.get("queueName").asText() + "-poison");
          }
        }
      }
    }
    return queues.stream().distinct().sorted().toList();
  }

  private void assertNoSecret(String where, String text) {
    for (String secret : secrets) {
      assertThat(text).as(where).doesNotContain(secret);
    }
  }

  private static String decoded(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64;
    }
  }
}
