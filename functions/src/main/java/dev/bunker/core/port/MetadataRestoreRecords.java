package dev.bunker.core.port;

import dev.bunker.core.model.MetadataRestoreJob;
import java.time.Instant;
import java.util.Optional;

/** The {@code metadatarestores} table. */
public interface MetadataRestoreRecords {
  void insert(MetadataRestoreJob restore);

  Optional<MetadataRestoreJob> find(String organizationId, String restoreId);

  /**
   * Claims the restore for delivery {@code claimant} until {@code until}, with a write conditional on
   * the version read (of deliveries racing for it, one wins): empty when it is finished, or another
   * delivery's claim lasts past {@code now}.
   */
  Optional<MetadataRestoreJob> claim(String organizationId, String restoreId, String claimant, Instant now,
      Instant until);

  /**
   * Replaces the restore if delivery {@code claimant} still holds its claim, conditional on the
   * version read; false, writing nothing, when another delivery has taken it over.
   */
  boolean updateClaimed(MetadataRestoreJob restore, String claimant);
}
