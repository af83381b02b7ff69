package dev.bunker.store;

/** Takes Git LFS objects as an LFS server hands them out, and hears which ones it could not. */
public interface LfsReceiver {
  /**
   * The object of {@code pointer}, as it is downloaded (not yet checked against its size and hash):
   * read it as a stream, objects can be far larger than memory.
   */
  void object(LfsPointer pointer, java.io.InputStream content) throws java.io.IOException;

  /** The server could not give {@code pointer}'s object; {@code reason} says why, for people. */
  void unavailable(LfsPointer pointer, String reason);
}
