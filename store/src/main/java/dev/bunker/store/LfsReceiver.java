package dev.bunker.store;

/** Takes Git LFS objects as an LFS server hands them out, and hears which ones it could not. */
public interface LfsReceiver {
  /** The object of {@code pointer}, as downloaded (not yet checked against its hash). */
  void object(LfsPointer pointer, byte[] content);

  /** The server could not give {@code pointer}'s object; {@code reason} says why, for people. */
  void unavailable(LfsPointer pointer, String reason);
}
