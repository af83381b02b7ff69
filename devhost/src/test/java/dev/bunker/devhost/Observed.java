package dev.bunker.devhost;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What the fixture app recorded (its observations table) and its queues, read from the test's side. */
final class Observed {
  private final Azurite azurite;
  private final TableClient table;

  Observed(Azurite azurite) {
    this.azurite = azurite;
    TableServiceClient service = new TableServiceClientBuilder().connectionString(azurite.connectionString())
        .buildClient();
    service.createTableIfNotExists("observations");
    this.table = service.getTableClient("observations");
  }

  /** Rows recorded under {@code key}, by event name (attempt-1, succeeded, …). */
  Map<String, TableEntity> events(String key) {
    return table.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + key + "'"), null, null)
        .stream().collect(Collectors.toMap(TableEntity::getRowKey, e -> e));
  }

  Map<String, TableEntity> awaitEvents(String key, Duration timeout, Predicate<Map<String, TableEntity>> done) {
    return await(() -> events(key), done, timeout, "events of " + key);
  }

  QueueClient queue(String name) {
    QueueClient queue = new QueueServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
        .getQueueClient(name);
    queue.createIfNotExists();
    return queue;
  }

  /** Sends a message as Functions apps expect them: base64 of the UTF-8 text. */
  void send(String queueName, String text) {
    queue(queueName).sendMessage(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Decoded texts of the messages currently visible in a queue (peeked, not taken). */
  List<String> peek(String queueName) {
    return queue(queueName).peekMessages(32, null, null).stream()
        .map(m -> new String(Base64.getDecoder().decode(m.getBody().toString()), StandardCharsets.UTF_8))
        .toList();
  }

  static <T> T await(Supplier<T> probe, Predicate<T> done, Duration timeout, String what) {
    Instant deadline = Instant.now().plus(timeout);
    T value = probe.get();
    while (!done.test(value)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Gave up after " + timeout + " waiting for " + what + "; last seen: " + value);
      }
      DevHostProcess.sleep(250);
      value = probe.get();
    }
    return value;
  }
}
