package dev.bunker.store;

/**
 * A fetch or push was about to send a request where its remote's headers (the credential) may not
 * go: off the caller's allow-list, or to another host than the remote's. Nothing was sent there.
 */
public final class RemoteNotAllowedException extends TransferException {
  public RemoteNotAllowedException(String message) {
    super(message);
  }
}
