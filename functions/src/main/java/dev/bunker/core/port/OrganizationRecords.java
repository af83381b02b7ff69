package dev.bunker.core.port;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Versioned;
import java.util.List;
import java.util.Optional;

/** The {@code organizations} table. Writes that race (the scheduler's slot) are conditional on the version. */
public interface OrganizationRecords {
  /** Adds a new organization; {@link ConflictException} when the id exists (even if deleted). */
  Versioned<Organization> insert(Organization organization);

  Optional<Versioned<Organization>> find(String id);

  /** Every organization, deleted ones included. */
  List<Versioned<Organization>> list();

  /**
   * Replaces the organization if it is still at {@code expectedVersion}; otherwise {@link
   * StaleVersionException} and nothing changes.
   */
  Versioned<Organization> replace(Organization organization, String expectedVersion);
}
