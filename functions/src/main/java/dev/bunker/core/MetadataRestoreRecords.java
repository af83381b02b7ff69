package dev.bunker.core;

import java.util.Optional;

/** The {@code metadatarestores} table. */
public interface MetadataRestoreRecords {
  void insert(MetadataRestoreJob restore);

  Optional<MetadataRestoreJob> find(String organizationId, String restoreId);

  /** Replaces an existing restore. */
  void update(MetadataRestoreJob restore);
}
