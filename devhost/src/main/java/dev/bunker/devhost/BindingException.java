package dev.bunker.devhost;

/** A trigger payload could not be bound to a function parameter: the invocation fails, as in the Java worker. */
final class BindingException extends Exception {
  BindingException(String message) {
    super(message);
  }
}
