package dev.bunker.devhost;

/** A trigger payload could not be bound to the function's parameter (for HTTP: the client's fault, 400). */
final class BindingException extends Exception {
  BindingException(String message) {
    super(message);
  }
}
