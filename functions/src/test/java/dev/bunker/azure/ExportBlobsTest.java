package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.UnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Downloads written into Azurite. */
class ExportBlobsTest {
  private final BlobContainerClient container = new BlobServiceClientBuilder()
      .connectionString(Azurite.shared().connectionString()).buildClient()
      .getBlobContainerClient("exportblobs-" + UUID.randomUUID().toString().substring(0, 8));

  @Test
  void anExportOfSeveralBlocksStagedWhileTheNextIsWrittenReadsBackByteForByte() {
    container.createIfNotExists();
    ExportBlobs exports = ExportBlobs.signedWithAccountKey(container, Clock.systemUTC());
    String name = ExportBlobs.PREFIX + "org1/large.bundle";
    byte[] content = new byte[(10 << 20) + 12345];
    new Random(7).nextBytes(content);

    OptionalLong written = exports.write(name, new BlobHttpHeaders(), out -> {
      try {
        for (int offset = 0; offset < content.length; offset += 100_000) {
          out.write(content, offset, Math.min(100_000, content.length - offset));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    assertThat(written).hasValue(content.length);
    BlockBlobClient blob = container.getBlobClient(name).getBlockBlobClient();
    assertThat(blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).hasSize(3);
    assertThat(blob.downloadContent().toBytes()).isEqualTo(content);
  }

  @Test
  void aWriterWhoseLeaseWasBrokenStopsAndCommitsNothing() {
    container.createIfNotExists();
    ExportBlobs exports = ExportBlobs.signedWithAccountKey(container, Clock.systemUTC(), BrokenLeases.RENEW_EVERY);
    String name = ExportBlobs.PREFIX + "org1/lost.zip";

    assertThatThrownBy(() -> exports.write(name, new BlobHttpHeaders(), out -> {
      try {
        out.write("the first half".getBytes(StandardCharsets.UTF_8));
        BrokenLeases.breakAndAwaitRenewal(container.getBlobClient(name + ".writing"));
        out.write("the second half".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    })).isInstanceOf(UnavailableException.class).hasMessageContaining(name + ".writing");

    assertThat(exports.exists(name)).isFalse();
  }
}
