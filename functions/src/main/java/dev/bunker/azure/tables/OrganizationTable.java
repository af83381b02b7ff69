package dev.bunker.azure.tables;

import com.azure.data.tables.TableClient;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationKind;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.port.OrganizationRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Table {@code organizations}: every organization in partition {@code org}, row key its id. Writes
 * are conditional on the ETag read.
 */
final class OrganizationTable implements OrganizationRecords {
  static final String TABLE = "organizations";
  private static final String PARTITION = "org";
  private static final Column<String> URL = Column.string("url");
  private static final Column<OrganizationKind> KIND = Column.enumOf("kind", OrganizationKind.class);
  private static final Column<CredentialKind> AUTH = Column.enumOf("auth", CredentialKind.class);
  private static final Column<String> CREDENTIAL_ID = Column.string("credentialId");
  private static final Column<Policy> POLICY =
      Column.json("policy", PolicyInput.class, Policy::from, Function.identity());
  private static final Column<Instant> NEXT_SLOT = Column.instant("nextSlot");
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Instant> UPDATED_AT = Column.instant("updatedAt");
  private static final Column<Instant> DELETED_AT = Column.instant("deletedAt");
  private static final Column<Instant> CONSENT_NEEDED_SINCE = Column.instant("consentNeededSince");

  private final TableRows<Organization> rows;

  OrganizationTable(TableClient table) {
    this.rows = new TableRows<>(table, "organization", OrganizationTable::row, OrganizationTable::organization);
  }

  @Override
  public Versioned<Organization> insert(Organization organization) {
    rows.insert(organization);
    return find(organization.id()).orElseThrow();
  }

  @Override
  public Optional<Versioned<Organization>> find(String id) {
    return rows.findVersioned(PARTITION, id);
  }

  @Override
  public List<Versioned<Organization>> list() {
    return rows.partitionVersioned(PARTITION);
  }

  @Override
  public Versioned<Organization> replace(Organization organization, String expectedVersion) {
    return rows.replaceIfAt(organization, expectedVersion)
        .map(version -> new Versioned<>(organization, version))
        .orElseThrow(() -> new StaleVersionException("organization", organization.id()));
  }

  private static Row row(Organization organization) {
    return Row.at(PARTITION, organization.id())
        .with(URL, organization.url())
        .with(KIND, organization.kind())
        .with(AUTH, organization.auth())
        .with(CREDENTIAL_ID, organization.credentialId())
        .with(POLICY, organization.policy())
        .with(NEXT_SLOT, organization.nextSlot())
        .with(CREATED_AT, organization.createdAt())
        .with(UPDATED_AT, organization.updatedAt())
        .with(DELETED_AT, organization.deletedAt())
        .with(CONSENT_NEEDED_SINCE, organization.consentNeededSince());
  }

  private static Organization organization(Row row) {
    return new Organization(row.rowKey(), row.get(URL), row.get(KIND), row.get(AUTH), row.get(CREDENTIAL_ID),
        row.get(POLICY), row.get(NEXT_SLOT), row.get(CREATED_AT), row.get(UPDATED_AT), row.get(DELETED_AT),
        row.get(CONSENT_NEEDED_SINCE));
  }
}
