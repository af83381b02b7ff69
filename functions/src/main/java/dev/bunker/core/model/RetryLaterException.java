package dev.bunker.core.model;

/**
 * Thrown by a queue worker so that the queue delivers the message again; the failure is already
 * recorded. The message is redacted; the original cause is deliberately not attached, since it may
 * carry secrets in its own message.
 */
public final class RetryLaterException extends BunkerException {
  public RetryLaterException(String message) {
    super(message);
  }
}
