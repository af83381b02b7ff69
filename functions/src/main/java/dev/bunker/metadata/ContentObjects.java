package dev.bunker.metadata;

import dev.bunker.hash.Sha256;
import dev.bunker.store.blob.BlobInputStream;
import dev.bunker.store.blob.BlobNotFoundException;
import dev.bunker.store.blob.Blobs;
import dev.bunker.store.blob.ConditionFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Content-addressed objects of the metadata store: named by the sha-256 of their content, stored
 * gzip compressed, written once (a conditional create, so racing writers never overwrite each
 * other) and checked against their name when read. Also the metadata store's one door to its
 * {@link Blobs} for the plain blobs beside them (manifests, ledger entries): storage failures
 * surface as {@link UncheckedIOException}s naming the blob.
 */
final class ContentObjects {
  /** Streamed content goes to storage in blocks of this size. */
  static final int BLOCK_SIZE = 4 << 20;
  private static final int READ_RANGE = 1 << 20;
  private static final int BUFFER = 64 * 1024;

  private final Blobs blobs;

  ContentObjects(Blobs blobs) {
    this.blobs = blobs;
  }

  /** {@code content} as an object is stored. */
  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, content.length / 4));
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Stores {@code blob} (a manifest or compressed object) unless a blob of that name exists.
   *
   * @return true when this call wrote it
   */
  boolean createIfAbsent(String name, byte[] blob) {
    try {
      blobs.write(name, blob, Blobs.Condition.ABSENT, null);
      return true;
    } catch (ConditionFailedException exists) {
      return false;
    } catch (IOException e) {
      throw failure("cannot write blob " + name, e);
    }
  }

  /**
   * Stores the compressed content spooled in {@code file} unless a blob of that name exists: in
   * one request when smaller than a buffer, else in blocks committed only when every block is
   * staged (memory holds one block, never the content).
   *
   * @return true when this call wrote it
   */
  boolean createIfAbsent(String name, Path file) throws IOException {
    long size = Files.size(file);
    if (size < BUFFER) {
      return createIfAbsent(name, Files.readAllBytes(file));
    }
    List<String> blockIds = new ArrayList<>();
    byte[] block = new byte[BLOCK_SIZE];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.readNBytes(block, 0, block.length)) > 0;) {
        // ids of one writer's own: a racing writer of the same object stages its own blocks
        String id = Base64.getEncoder().encodeToString(
            UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        blobs.stageBlock(name, id, block, n);
        blockIds.add(id);
      }
      blobs.commitBlocks(name, blockIds, Blobs.Condition.ABSENT);
      return true;
    } catch (ConditionFailedException exists) {
      return false;
    } catch (IOException e) {
      throw failure("cannot write blob " + name, e);
    }
  }

  /** The blobs whose names start with {@code prefix}, in order of name. */
  List<Blobs.BlobInfo> list(String prefix) {
    try {
      return blobs.list(prefix);
    } catch (IOException e) {
      throw failure("cannot list blobs " + prefix + "*", e);
    }
  }

  /** Deletes a blob; true when this call deleted it. */
  boolean delete(String name) {
    try {
      return blobs.delete(name);
    } catch (IOException e) {
      throw failure("cannot delete blob " + name, e);
    }
  }

  /** A blob's whole content, or empty when there is none of that name. */
  Optional<byte[]> readBlob(String name) {
    try {
      return blobs.read(name).map(Blobs.Blob::data);
    } catch (IOException e) {
      throw failure("cannot read blob " + name, e);
    }
  }

  /**
   * The content of object {@code hash}, checked against its hash.
   *
   * @throws UncheckedIOException when the object is missing or damaged
   */
  byte[] read(String organizationId, String hash) {
    String name = MetadataLayout.objectName(organizationId, hash);
    byte[] stored = readBlob(name)
        .orElseThrow(() -> failure(null, new BlobNotFoundException("metadata object " + name + " is missing")));
    byte[] content;
    try (GZIPInputStream zip = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      content = zip.readAllBytes();
    } catch (IOException e) {
      throw failure("metadata object " + name + " is not readable gzip", e);
    }
    if (!Sha256.hex(content).equals(hash)) {
      throw failure(null, new IOException("metadata object " + name + " does not match its hash"));
    }
    return content;
  }

  /**
   * The content of object {@code hash} as a stream, for content too large to hold in memory: read
   * from storage range by range as it is consumed, and checked against its hash at its end (a
   * damaged object fails the read there).
   *
   * @throws UncheckedIOException when the object is missing
   */
  InputStream open(String organizationId, String hash) {
    String name = MetadataLayout.objectName(organizationId, hash);
    MessageDigest digest = Sha256.newDigest();
    try {
      InputStream stored = BlobInputStream.open(blobs, name, READ_RANGE)
          .orElseThrow(() -> failure(null, new BlobNotFoundException("metadata object " + name + " is missing")));
      return new FilterInputStream(new DigestInputStream(new GZIPInputStream(stored, BUFFER), digest)) {
        private boolean checked;

        @Override
        public int read() throws IOException {
          return check(super.read());
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          return check(super.read(buffer, offset, length));
        }

        private int check(int read) throws IOException {
          if (read < 0 && !checked) {
            checked = true;
            if (!HexFormat.of().formatHex(digest.digest()).equals(hash)) {
              throw new IOException("metadata object " + name + " does not match its hash");
            }
          }
          return read;
        }
      };
    } catch (IOException e) {
      throw failure("metadata object " + name + " is not readable gzip", e);
    }
  }

  /**
   * Compresses {@code content} into {@code spool}, hashing it on the way.
   *
   * @return the content's hash
   */
  static String spool(InputStream content, Path spool) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    try (OutputStream file = Files.newOutputStream(spool);
        GZIPOutputStream zip = new GZIPOutputStream(file, BUFFER)) {
      byte[] buffer = new byte[BUFFER];
      int read;
      while ((read = content.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
        zip.write(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A storage failure as the metadata store reports it: unchecked, naming the blob. */
  static UncheckedIOException failure(String message, IOException cause) {
    return message == null ? new UncheckedIOException(cause.getMessage(), cause)
        : new UncheckedIOException(message + ": " + cause.getMessage(), cause);
  }
}
