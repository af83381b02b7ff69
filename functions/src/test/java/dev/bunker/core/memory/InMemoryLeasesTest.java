package dev.bunker.core.memory;

import dev.bunker.core.port.Leases;
import dev.bunker.core.LeasesContract;

class InMemoryLeasesTest extends LeasesContract {
  @Override
  protected Leases newLeases() {
    return new InMemoryLeases();
  }
}
