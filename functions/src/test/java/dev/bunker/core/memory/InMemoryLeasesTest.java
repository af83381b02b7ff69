package dev.bunker.core.memory;

import dev.bunker.core.LeasesContract;
import dev.bunker.core.port.Leases;

class InMemoryLeasesTest extends LeasesContract {
  @Override
  protected Leases newLeases() {
    return new InMemoryLeases();
  }
}
