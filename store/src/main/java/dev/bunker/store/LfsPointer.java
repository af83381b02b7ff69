package dev.bunker.store;

import dev.bunker.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Git LFS pointer file as committed in place of a large file: the object's sha-256 and size
 * (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md). The object itself lives on the LFS
 * server, not in git.
 */
public record LfsPointer(String oid, long size) {
  /** Pointer files are smaller than this; anything larger is not one. */
  public static final int MAX_SIZE = 1024;

  /** How every pointer starts (the spec's first line): most small blobs are rejected by it alone. */
  private static final byte[] VERSION =
      "version https://git-lfs.github.com/spec/v1\n".getBytes(StandardCharsets.US_ASCII);

  private static final Pattern POINTER = Pattern.compile(
      "version https://git-lfs\\.github\\.com/spec/v1\\n(?:[a-z0-9.-]+ [^\\n]*\\n)*?"
          + "oid sha256:([0-9a-f]{64})\\n(?:[a-z0-9.-]+ [^\\n]*\\n)*?size (\\d{1,18})\\n(?:[a-z0-9.-]+ [^\\n]*\\n)*");

  /** Whether {@code content} is this pointer's object: its size and sha-256. */
  public boolean matches(byte[] content) {
    return content.length == size && Sha256.hex(content).equals(oid);
  }

  /** The pointer {@code content} holds, if it is one. */
  public static Optional<LfsPointer> parse(byte[] content) {
    if (content.length >= MAX_SIZE || content.length < VERSION.length
        || !Arrays.equals(content, 0, VERSION.length, VERSION, 0, VERSION.length)) {
      return Optional.empty();
    }
    Matcher matcher = POINTER.matcher(new String(content, StandardCharsets.UTF_8));
    return matcher.matches() ? Optional.of(new LfsPointer(matcher.group(1), Long.parseLong(matcher.group(2))))
        : Optional.empty();
  }
}
