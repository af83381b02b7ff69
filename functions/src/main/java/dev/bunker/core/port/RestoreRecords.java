package dev.bunker.core.port;

import dev.bunker.core.model.Restore;
import java.util.Optional;

/** The {@code restores} table. */
public interface RestoreRecords {
  void insert(Restore restore);

  Optional<Restore> find(String organizationId, String restoreId);

  /** Replaces an existing restore. */
  void update(Restore restore);
}
