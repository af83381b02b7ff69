package dev.bunker.core.port;

import dev.bunker.core.model.UnavailableException;
import java.util.Optional;

/**
 * Named exclusive leases that lapse when their holder dies (blob leases in production, renewed
 * while held). Contract: at most one holder per name at a time; {@link #anyHeld} sees every lease
 * taken before it was called and not yet released or lapsed.
 */
public interface Leases {
  /** Takes the lease {@code name}, kept until the handle is closed; empty when someone else holds it. */
  Optional<Held> take(String name);

  /** Whether a lease is held on some name starting with {@code prefix}. */
  boolean anyHeld(String prefix);

  /** A lease this process holds. */
  interface Held extends AutoCloseable {
    /**
     * Fails with an {@link UnavailableException} once the lease is known lost (it lapsed, was
     * broken or taken over): a holder calls it before each step that relies on holding it, and
     * stops.
     */
    void ensureHeld();

    /** Releases the lease (a lease that already lapsed is simply gone). */
    @Override
    void close();
  }
}
