package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import java.net.URL;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage requests as flight recorder events, through the real SDK clients against Azurite. */
class StorageRequestsTest {
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final String organization = UUID.randomUUID().toString();
  private final String repository = UUID.randomUUID().toString();

  @Test
  void eachRequestToEachServiceIsOneEventNamingWhatItTouchedAndNoId(@TempDir Path directory) throws Exception {
    String connection = Azurite.shared().connectionString();
    BlobContainerClient container = new BlobServiceClientBuilder().connectionString(connection)
        .addPolicy(StorageRequests.blob()).buildClient().getBlobContainerClient("requests-" + suffix);
    TableClient table = new TableServiceClientBuilder().connectionString(connection)
        .addPolicy(StorageRequests.table()).buildClient().getTableClient("requests" + suffix);
    QueueClient queue = new QueueServiceClientBuilder().connectionString(connection)
        .addPolicy(StorageRequests.queue()).buildClient().getQueueClient("requests-" + suffix);
    String repositoryKey = "orgs/" + organization + "/repos/" + repository;

    List<RecordedEvent> events;
    try (Recording recording = new Recording()) {
      recording.enable(StorageRequests.EVENT);
      recording.start();
      container.create();
      container.getBlobClient(repositoryKey + "/manifest.json").upload(BinaryData.fromString("{}"));
      container.getBlobClient(repositoryKey + "/packs/pack-1.pack").upload(BinaryData.fromString("PACK"));
      container.getBlobClient("orgs/" + organization + "/lfs-index/" + repository + "/" + suffix)
          .upload(BinaryData.fromString("[]"));
      new BlobLeaseClientBuilder().blobClient(container.getBlobClient(repositoryKey + "/manifest.json"))
          .buildClient().acquireLease(15);
      table.createTable();
      table.upsertEntity(new TableEntity("p", "r"));
      queue.create();
      queue.sendMessage("work");
      recording.stop();
      Path file = directory.resolve("requests.jfr");
      recording.dump(file);
      events = RecordingFile.readAllEvents(file).stream()
          .filter(event -> event.getEventType().getName().equals(StorageRequests.EVENT))
          .sorted(Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }

    assertThat(events).extracting(e -> e.getString("service") + " " + e.getString("method") + " "
        + e.getString("resource") + " " + e.getInt("status")).containsExactly(
            "blob PUT container 201",
            "blob PUT manifest.json 201",
            "blob PUT pack 201",
            "blob PUT lfs-index 201",
            "blob PUT manifest.json lease 201",
            "table POST Tables 204",
            "table PATCH requests" + suffix + " 204",
            "queue PUT requests-" + suffix + " 201",
            "queue POST requests-" + suffix + " 201");
    assertThat(events).allSatisfy(event -> assertThat(event.getString("resource"))
        .doesNotContain(organization, repository, "devstoreaccount1"));
  }

  @Test
  void azureHostStyleUrlsNameTheSameThings() throws Exception {
    assertThat(StorageRequests.resource("blob", new URL("https://account.blob.core.windows.net/backups/orgs/"
        + organization + "/repos/" + repository + "/packs/pack-9f.pack?comp=block&blockid=YmxvY2s%3D")))
        .isEqualTo("pack block");
    assertThat(StorageRequests.resource("blob", new URL("https://account.blob.core.windows.net/backups/orgs/"
        + organization + "/lfs/" + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")))
        .isEqualTo("lfs");
    assertThat(StorageRequests.resource("blob", new URL(
        "https://account.blob.core.windows.net/backups?restype=container&comp=list&prefix=orgs%2F")))
        .isEqualTo("container list");
    // names from Azure DevOps in a blob's name stay out: a restore's ledger names identities
    assertThat(StorageRequests.resource("blob", new URL("https://account.blob.core.windows.net/backups/orgs/"
        + organization + "/meta/restores/" + repository + "/teamMember/team-alpha%2Faad.QUJDREVGRw")))
        .isEqualTo("restores");
    assertThat(StorageRequests.resource("table", new URL(
        "https://account.table.core.windows.net/results(PartitionKey='run',RowKey='repository')")))
        .isEqualTo("results");
    assertThat(StorageRequests.resource("queue", new URL(
        "https://account.queue.core.windows.net/backup-repo/messages?visibilitytimeout=0")))
        .isEqualTo("backup-repo");
  }
}
