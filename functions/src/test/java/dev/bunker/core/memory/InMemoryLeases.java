package dev.bunker.core.memory;

import dev.bunker.core.Leases;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Leases in memory: held until closed (they never lapse). */
public final class InMemoryLeases implements Leases {
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  public Optional<Held> take(String name) {
    return held.add(name) ? Optional.of(() -> held.remove(name)) : Optional.empty();
  }

  @Override
  public boolean anyHeld(String prefix) {
    return held.stream().anyMatch(name -> name.startsWith(prefix));
  }
}
