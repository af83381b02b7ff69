package dev.bunker.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

/** A port whose calls a test sees (to count them, say) before they go through unchanged. */
public final class Observed {
  private Observed() {}

  /** {@code port}, telling {@code beforeEach} each call's method name and arguments first. */
  public static <T> T calls(Class<T> type, T port, BiConsumer<String, Object[]> beforeEach) {
    Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
      beforeEach.accept(method.getName(), args);
      try {
        return method.invoke(port, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return type.cast(proxy);
  }
}
