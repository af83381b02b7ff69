package dev.bunker.core;

import dev.bunker.core.model.RandomIds;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable "random" ids: 1, 2, 3… in hex, left-padded. */
public final class CountingIds implements RandomIds {
  private final AtomicLong next = new AtomicLong();

  @Override
  public String hex(int length) {
    String digits = Long.toHexString(next.incrementAndGet());
    return "0".repeat(Math.max(0, length - digits.length())) + digits;
  }
}
