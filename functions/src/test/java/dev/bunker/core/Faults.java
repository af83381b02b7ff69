package dev.bunker.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** Decorators that make a port fail the way a crash or an outage would, on a chosen call. */
public final class Faults {
  private Faults() {}

  /** Thrown by a faulty port in place of the call's effect. */
  public static final class InjectedFault extends RuntimeException {
    InjectedFault(String message) {
      super(message);
    }
  }

  /** {@code port}, except that the {@code n}th call (1-based) of {@code method} throws without any effect. */
  public static <T> T failOnCall(Class<T> type, T port, String method, int n) {
    AtomicInteger calls = new AtomicInteger();
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, invoked, args) -> {
      if (invoked.getName().equals(method) && calls.incrementAndGet() == n) {
        throw new InjectedFault(method + " call " + n + " failed (injected)");
      }
      try {
        return invoked.invoke(port, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return type.cast(proxy);
  }
}
