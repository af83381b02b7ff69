package dev.bunker.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.memory.InMemoryLeases;
import dev.bunker.core.port.Leases;
import org.junit.jupiter.api.Test;

class CollectorLocksTest {
  private final CollectorLocks locks = new CollectorLocks(new InMemoryLeases(), "meta/locks");

  @Test
  void backupsOfDifferentProjectsRunSideBySideButNotTwiceForOneProject() {
    try (Leases.Held web = locks.writer("org1", "web").orElseThrow();
        Leases.Held api = locks.writer("org1", "api").orElseThrow()) {
      assertThat(locks.writer("org1", "web")).isEmpty();
      assertThat(locks.writer("org2", "web")).isPresent();
    }
  }

  @Test
  void theCollectorWaitsForBackupsAndBackupsForTheCollector() {
    try (Leases.Held web = locks.writer("org1", "web").orElseThrow()) {
      assertThat(locks.collector("org1")).isEmpty();
      assertThat(locks.collector("org2")).isPresent().get().satisfies(Leases.Held::close);
    }
    try (Leases.Held collector = locks.collector("org1").orElseThrow()) {
      assertThat(locks.writer("org1", "web")).isEmpty();
    }
    assertThat(locks.writer("org1", "web")).isPresent();
  }
}
