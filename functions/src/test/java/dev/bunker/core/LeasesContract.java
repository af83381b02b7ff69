package dev.bunker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.port.Leases;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every lease store does; run against each implementation. */
public abstract class LeasesContract {
  /** Leases isolated from other tests (names carry a unique prefix anyway). */
  protected abstract Leases newLeases();

  private final String prefix = "locks-" + UUID.randomUUID() + "/";

  @Test
  void aLeaseHasOneHolderUntilReleased() {
    Leases leases = newLeases();
    Optional<Leases.Held> first = leases.take(prefix + "a");
    assertThat(first).isPresent();
    assertThat(leases.take(prefix + "a")).isEmpty();
    first.get().close();
    leases.take(prefix + "a").orElseThrow().close();
  }

  @Test
  void anyHeldSeesHeldLeasesByPrefixOnly() {
    Leases leases = newLeases();
    assertThat(leases.anyHeld(prefix)).isFalse();
    try (Leases.Held writer = leases.take(prefix + "writer-1").orElseThrow()) {
      assertThat(leases.anyHeld(prefix + "writer-")).isTrue();
      assertThat(leases.anyHeld(prefix + "collector")).isFalse();
    }
    assertThat(leases.anyHeld(prefix + "writer-")).as("released").isFalse();
  }

  @Test
  void racingTakersGetOneLease() throws Exception {
    Leases leases = newLeases();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Optional<Leases.Held>>> takers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        takers.add(() -> leases.take(prefix + "raced"));
      }
      List<Leases.Held> held = new ArrayList<>();
      for (Future<Optional<Leases.Held>> taken : pool.invokeAll(takers)) {
        taken.get().ifPresent(held::add);
      }
      assertThat(held).hasSize(1);
      held.forEach(Leases.Held::close);
    } finally {
      pool.shutdownNow();
    }
  }
}
