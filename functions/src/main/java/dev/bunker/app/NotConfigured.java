package dev.bunker.app;

import dev.bunker.core.model.UnavailableException;
import java.lang.reflect.Proxy;

/**
 * A stand-in for a port whose adapter is not wired yet: the app starts and every other endpoint
 * works, while a call that needs this port answers 503 saying what is missing.
 */
final class NotConfigured {
  private NotConfigured() {}

  static <T> T port(Class<T> type, String what) {
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
        (self, method, args) -> switch (method.getName()) {
          case "toString" -> "NotConfigured[" + type.getSimpleName() + "]";
          case "hashCode" -> System.identityHashCode(self);
          case "equals" -> self == args[0];
          default -> throw new UnavailableException(what + " is not configured in this deployment");
        });
    return type.cast(proxy);
  }
}
