package dev.bunker.core.port;

import dev.bunker.core.model.ConflictException;
import dev.bunker.core.model.Credential;
import java.util.List;
import java.util.Optional;

/** The {@code credentials} table: names of secrets, never secrets. */
public interface CredentialRecords {
  /** {@link ConflictException} when the id exists. */
  void insert(Credential credential);

  Optional<Credential> find(String id);

  List<Credential> list();

  /** Replaces an existing credential (last validation time). */
  void update(Credential credential);

  /** Deleting a missing credential is not an error. */
  void delete(String id);
}
