package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.model.ExportStatus;
import dev.bunker.core.model.UnavailableException;
import dev.bunker.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
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
  void anExportCopyingABlobIsItsHeadThenThatBlobByteForByteCopiedByStorageInBlocks() {
    container.createIfNotExists();
    ExportBlobs exports = ExportBlobs.signedWithAccountKey(container, Clock.systemUTC(), Duration.ofSeconds(20),
        4 << 20);
    byte[] pack = new byte[(10 << 20) + 12345];
    new Random(11).nextBytes(pack);
    container.getBlobClient("orgs/o1/repos/r1/packs/pack-1.pack").upload(BinaryData.fromBytes(pack));
    byte[] head = "# v2 git bundle\n".getBytes(StandardCharsets.UTF_8);
    String name = ExportBlobs.PREFIX + "org1/copied.bundle";

    OptionalLong written = exports.writeCopying(name, new BlobHttpHeaders(), head,
        "orgs/o1/repos/r1/packs/pack-1.pack", pack.length, out -> {
          throw new AssertionError("storage copies in Azurite");
        });

    assertThat(written).hasValue(head.length + pack.length);
    BlockBlobClient blob = container.getBlobClient(name).getBlockBlobClient();
    assertThat(blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks()).as("the head, then 4 + 4 + 2 MiB")
        .hasSize(4);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(head);
    expected.writeBytes(pack);
    assertThat(blob.downloadContent().toBytes()).isEqualTo(expected.toByteArray());
    assertThat(container.getBlobClient(name + ".writing").exists()).isFalse();
  }

  @Test
  void whereStorageRefusesToCopyTheExportIsStreamedInsteadAndSoAreThoseOfTheNextHour() {
    container.createIfNotExists();
    container.getBlobClient("orgs/o1/repos/r1/packs/pack-2.pack").upload(BinaryData.fromString("PACK..."));
    ManualClock clock = ManualClock.at("2026-03-01T10:00:00Z");
    AtomicInteger linksSigned = new AtomicInteger();
    // a copy source whose link storage does not accept: refused with 403 (CannotVerifyCopySource), as
    // behind a firewall
    ExportBlobs exports = ExportBlobs.signedWith(container, (blob, expiry) -> {
      linksSigned.incrementAndGet();
      return "sv=2021-08-06&sr=b&sp=r&sig=bogus";
    }, clock);
    AtomicInteger streamed = new AtomicInteger();
    Consumer<OutputStream> instead = out -> {
      streamed.incrementAndGet();
      try {
        out.write("made here".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    Function<String, OptionalLong> export = name -> exports.writeCopying(ExportBlobs.PREFIX + "org1/" + name,
        new BlobHttpHeaders(), new byte[] {'h'}, "orgs/o1/repos/r1/packs/pack-2.pack", 7, instead);

    assertThat(export.apply("refused.bundle")).hasValue(9);
    assertThat(linksSigned).as("copying tried").hasValue(1);
    assertThat(export.apply("refused-too.bundle")).hasValue(9);
    assertThat(linksSigned).as("not tried again within the hour").hasValue(1);
    clock.advance(ExportBlobs.COPYING_REFUSED_FOR);
    assertThat(export.apply("an-hour-later.bundle")).hasValue(9);
    assertThat(linksSigned).as("tried again after it").hasValue(2);

    assertThat(streamed).hasValue(3);
    assertThat(container.getBlobClient(ExportBlobs.PREFIX + "org1/refused.bundle").downloadContent().toString())
        .isEqualTo("made here");
  }

  @Test
  void aCopyWhoseSourceIsGoneFailsSayingSoWithoutTheLinkAndCommitsNothing() {
    container.createIfNotExists();
    ExportBlobs exports = ExportBlobs.signedWithAccountKey(container, Clock.systemUTC());
    String name = ExportBlobs.PREFIX + "org1/gone.bundle";

    assertThatThrownBy(() -> exports.writeCopying(name, new BlobHttpHeaders(), new byte[] {'h'},
        "orgs/o1/repos/r1/packs/pack-retired.pack", 1000, out -> {
          throw new AssertionError("a missing source is a failure, not a refusal");
        })).isInstanceOf(ExportBlobs.CopyFailedException.class)
        .hasMessage("storage could not copy orgs/o1/repos/r1/packs/pack-retired.pack into the export: 404"
            + " CannotVerifyCopySource");

    assertThat(exports.exists(name)).isFalse();
    assertThat(exports.status(name).state()).as("the marker is released").isEqualTo(ExportStatus.State.MISSING);
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
