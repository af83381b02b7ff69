package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.port.CredentialRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code credentials}: every credential in partition {@code cred}, row key its id. It holds
 * the secret's name in the secret store, never the secret.
 */
final class CredentialTable implements CredentialRecords {
  static final String TABLE = "credentials";
  private static final String PARTITION = "cred";
  private static final Column<String> NAME = Column.string("name");
  private static final Column<CredentialKind> KIND = Column.enumOf("kind", CredentialKind.class);
  private static final Column<String> SECRET_NAME = Column.string("secretName");
  private static final Column<String> USERNAME = Column.string("username");
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Instant> LAST_VALIDATED_AT = Column.instant("lastValidatedAt");

  private final TableRows<Credential> rows;

  CredentialTable(TableClient table) {
    this.rows = new TableRows<>(table, "credential", CredentialTable::row, CredentialTable::credential);
  }

  @Override
  public void insert(Credential credential) {
    rows.insert(credential);
  }

  @Override
  public Optional<Credential> find(String id) {
    return rows.find(PARTITION, id);
  }

  @Override
  public List<Credential> list() {
    return rows.partition(PARTITION);
  }

  @Override
  public void update(Credential credential) {
    rows.replace(credential);
  }

  @Override
  public void delete(String id) {
    rows.delete(PARTITION, id);
  }

  private static Row row(Credential credential) {
    return Row.at(PARTITION, credential.id())
        .with(NAME, credential.name())
        .with(KIND, credential.kind())
        .with(SECRET_NAME, credential.secretName())
        .with(USERNAME, credential.username())
        .with(CREATED_AT, credential.createdAt())
        .with(LAST_VALIDATED_AT, credential.lastValidatedAt());
  }

  private static Credential credential(Row row) {
    return new Credential(row.rowKey(), row.get(NAME), row.get(KIND), row.get(SECRET_NAME), row.get(USERNAME),
        row.get(CREATED_AT), row.get(LAST_VALIDATED_AT));
  }
}
