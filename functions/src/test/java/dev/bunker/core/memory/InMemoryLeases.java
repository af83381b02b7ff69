package dev.bunker.core.memory;

import dev.bunker.core.port.Leases;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Leases in memory: held until closed (they never lapse). */
public final class InMemoryLeases implements Leases {
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  public Optional<Held> take(String name) {
    if (!held.add(name)) {
      return Optional.empty();
    }
    return Optional.of(new Held() {
      @Override
      public void ensureHeld() {
        // never lapses
      }

      @Override
      public void close() {
        held.remove(name);
      }
    });
  }

  @Override
  public boolean anyHeld(String prefix) {
    return held.stream().anyMatch(name -> name.startsWith(prefix));
  }
}
