package dev.bunker.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hash Bunker names content by (LFS objects, metadata objects) and derives ids
 * from. In the store module, the lowest one every main module has; a package of its own that
 * depends on nothing, so any layer may use it.
 */
public final class Sha256 {
  private Sha256() {}

  /** A fresh digest, for content hashed as it streams. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static byte[] of(byte[] content) {
    return newDigest().digest(content);
  }

  /** The hash of {@code text}'s UTF-8 bytes. */
  public static byte[] of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex, as Git LFS and the content-addressed stores name content. */
  public static String hex(byte[] content) {
    return HexFormat.of().formatHex(of(content));
  }
}
