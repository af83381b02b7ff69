package dev.bunker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.store.blob.AzureBlobs;
import dev.bunker.store.blob.InMemoryBlobs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Attachments are put as streams: stored once by their hash like any document, never held whole. */
class StreamedObjectsTest {

  private static final Instant T1 = Instant.parse("2026-03-01T01:00:00Z");

  @Test
  void aStreamedAttachmentIsTheSameObjectAsItsBytes() throws Exception {
    InMemoryBlobs blobs = TestBlobs.inMemory();
    MetadataStore store = new MetadataStore(blobs);
    byte[] screenshot = "a screenshot's bytes".getBytes(StandardCharsets.UTF_8);
    SnapshotWriter writer = store.begin("org1", "proj1", "Web", "20260301T010000Z-00000001", T1,
        Optional.empty());

    assertThat(writer.put(MetadataKind.ATTACHMENT, "a1", new ByteArrayInputStream(screenshot))).isTrue();
    writer.put(MetadataKind.ATTACHMENT, "a2", screenshot);
    MetadataSnapshot snapshot = writer.commit();

    assertThat(snapshot.hash(MetadataKind.ATTACHMENT, "a1")).isEqualTo(snapshot.hash(MetadataKind.ATTACHMENT, "a2"));
    assertThat(snapshot.stats().objectsWritten()).isEqualTo(1);
    assertThat(store.object("org1", snapshot.hash(MetadataKind.ATTACHMENT, "a1").orElseThrow())).isEqualTo(screenshot);
    try (InputStream back = store.open("org1", snapshot.hash(MetadataKind.ATTACHMENT, "a1").orElseThrow())) {
      assertThat(back.readAllBytes()).isEqualTo(screenshot);
    }
  }

  @Test
  void anAttachmentOfSeventyMebibytesStreamsToStorageThroughAFile() throws Exception {
    long size = 70L * 1024 * 1024;
    BlobContainerClient container = new BlobServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).buildClient()
        .createBlobContainer("stream-" + UUID.randomUUID());
    AtomicInteger streamed = new AtomicInteger();
    AtomicLong largestWholeWrite = new AtomicLong();
    // how content reaches storage: whole arrays (and the largest) or committed blocks
    MetadataStore store = new MetadataStore(TestBlobs.around(new AzureBlobs(container), (method, args) -> {
      if (method.equals("write")) {
        largestWholeWrite.accumulateAndGet(((byte[]) args[1]).length, Math::max);
      } else if (method.equals("commitBlocks")) {
        streamed.incrementAndGet();
      }
    }));
    SnapshotWriter writer = store.begin("org1", "proj1", "Web", "20260301T010000Z-00000001", T1,
        Optional.empty());
    MessageDigest expected = MessageDigest.getInstance("SHA-256");

    writer.put(MetadataKind.ATTACHMENT, "video", new Generated(size, expected));
    MetadataSnapshot snapshot = writer.commit();

    assertThat(snapshot.hash(MetadataKind.ATTACHMENT, "video")).contains(HexFormat.of().formatHex(expected.digest()));
    assertThat(streamed.get()).as("the attachment went as a stream").isEqualTo(1);
    assertThat(largestWholeWrite.get()).as("only small index chunks and the manifest went whole")
        .isLessThan(64 * 1024);
    MessageDigest readBack = MessageDigest.getInstance("SHA-256");
    try (InputStream back = store.open("org1", snapshot.hash(MetadataKind.ATTACHMENT, "video").orElseThrow())) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = back.read(buffer)) > 0; total += n) {
        readBack.update(buffer, 0, n);
      }
      assertThat(total).as("read back as a stream, checked at its end").isEqualTo(size);
    }
    assertThat(HexFormat.of().formatHex(readBack.digest())).isEqualTo(snapshot.hash(MetadataKind.ATTACHMENT, "video")
        .orElseThrow());
  }

  /** {@code size} bytes made up as they are read (letters), hashed on the way. */
  private static final class Generated extends InputStream {
    private final MessageDigest digest;
    private long left;
    private long line;

    Generated(long size, MessageDigest digest) {
      this.left = size;
      this.digest = digest;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(length, left);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = (byte) ('a' + (line++ * 31 + line / 4096) % 26);
      }
      digest.update(buffer, offset, n);
      left -= n;
      return n;
    }
  }
}
