package dev.bunker.azure;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.WorkQueue;
import dev.bunker.json.Json;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Work as Storage queue messages in the app's storage account: JSON, base64-encoded, which is what
 * the Functions queue trigger decodes by default. Queues are created on first use.
 */
public final class StorageWorkQueue implements WorkQueue {
  private final Function<String, QueueClient> clients;
  private final Map<String, QueueClient> queues = new ConcurrentHashMap<>();

  private StorageWorkQueue(Function<String, QueueClient> clients) {
    this.clients = clients;
  }

  /** Queues reached by connection string; {@code prefix} (may be empty) keeps tests apart. */
  public static StorageWorkQueue connect(String connectionString, String prefix) {
    return new StorageWorkQueue(name -> new QueueServiceClientBuilder()
        .connectionString(connectionString)
        .messageEncoding(QueueMessageEncoding.BASE64)
        .buildClient()
        .getQueueClient(prefix + name));
  }

  /** Queues reached through {@code builder} (endpoint and managed identity set by the caller). */
  public static StorageWorkQueue using(QueueServiceClientBuilder builder) {
    var service = builder.messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    return new StorageWorkQueue(service::getQueueClient);
  }

  @Override
  public void enqueue(WorkItem item) {
    queues.computeIfAbsent(item.queue(), name -> {
      QueueClient client = clients.apply(name);
      client.createIfNotExists();
      return client;
    }).sendMessage(Json.write(item));
  }
}
