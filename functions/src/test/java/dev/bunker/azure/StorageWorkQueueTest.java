package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.QueueServiceClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.WorkItem;
import dev.bunker.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StorageWorkQueueTest {
  private final String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final StorageWorkQueue queue = StorageWorkQueue.connect(Azurite.shared().connectionString(), prefix);

  private QueueClient raw(String name) {
    return new QueueServiceClientBuilder().connectionString(Azurite.shared().connectionString())
        .messageEncoding(QueueMessageEncoding.NONE).buildClient().getQueueClient(prefix + name);
  }

  @Test
  void messagesAreBase64JsonAsTheQueueTriggerExpects() {
    WorkItem.Discover discover = new WorkItem.Discover("org1", "9998234567890-0000000a", Trigger.SCHEDULE,
        Instant.parse("2026-01-15T01:00:00Z"));
    queue.enqueue(discover);
    QueueMessageItem message = raw("discover").receiveMessage();
    String json = new String(Base64.getDecoder().decode(message.getBody().toString()), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"organizationId\":\"org1\",\"runId\":\"9998234567890-0000000a\","
        + "\"trigger\":\"schedule\",\"slot\":\"2026-01-15T01:00:00Z\"}");
    assertThat(Json.read(json, WorkItem.Discover.class)).isEqualTo(discover);
  }

  @Test
  void eachKindOfWorkGoesToItsQueue() {
    queue.enqueue(new WorkItem.BackupRepository("org1", "9998234567890-0000000a", "repo1"));
    queue.enqueue(new WorkItem.RestoreSnapshot("org1", "restore1"));
    queue.enqueue(new WorkItem.ExportBundle("org1", "repo1", "20260101T000000Z-0000000a"));
    String backup = decode(raw("backup-repo").receiveMessage());
    String restore = decode(raw("restore").receiveMessage());
    String export = decode(raw("export").receiveMessage());
    assertThat(Json.read(export, WorkItem.ExportBundle.class).snapshotId()).isEqualTo("20260101T000000Z-0000000a");
    assertThat(Json.read(backup, WorkItem.BackupRepository.class).repositoryId()).isEqualTo("repo1");
    assertThat(Json.read(restore, WorkItem.RestoreSnapshot.class).restoreId()).isEqualTo("restore1");
  }

  private static String decode(QueueMessageItem message) {
    return new String(Base64.getDecoder().decode(message.getBody().toString()), StandardCharsets.UTF_8);
  }
}
