package dev.bunker.store;

/**
 * Which SHA-1 JGit uses to name objects in this process: the JDK's ({@code jdkNative}) instead of
 * JGit's default collision-detecting Java implementation, unless the operator set
 * {@code -Dorg.eclipse.jgit.util.sha1.implementation} explicitly.
 *
 * <p>Why: hashing every received object is most of a backup's CPU. Measured on a 75 MiB,
 * 105k-object, 3,262-ref repository, a fetch took 10–13 s with collision detection and 5.4–8.2 s
 * with the JDK's SHA-1, against 6.2–8.9 s for {@code git clone --mirror}: only the JDK's keeps a
 * backup near the cost of a clone. What detection would buy us is small here: JGit's pack parser
 * still compares the bytes of every received object that already exists in the store
 * ({@code PackParser#checkObjectCollisions}, on by default), so a crafted collision cannot replace
 * a stored object; the source is a git server that accepted those objects already; and every
 * restore goes through CGit ({@code index-pack}/{@code fsck}, collision-detecting SHA-1DC), which
 * rejects a colliding pack on the way out. The property is process-wide, which is why it is only
 * set when nobody chose otherwise.
 */
final class Sha1Choice {
  static final String PROPERTY = "org.eclipse.jgit.util.sha1.implementation";

  private Sha1Choice() {}

  static void apply() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "jdkNative");
    }
  }
}
