package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClient;
import dev.bunker.core.port.Catalog;

/**
 * The catalog in Azure Tables (docs/design.md §9), in the app's storage account: one table per
 * kind of record, each in its own class over {@link TableRows}.
 */
public final class TableCatalog {
  private TableCatalog() {}

  /**
   * The catalog over {@code service}, creating its tables when missing. {@code prefix} (letters
   * and digits, may be empty) keeps tests apart in one storage account.
   */
  public static Catalog create(TableServiceClient service, String prefix) {
    return new Catalog(
        new OrganizationTable(TableRows.open(service, prefix + OrganizationTable.TABLE)),
        new CredentialTable(TableRows.open(service, prefix + CredentialTable.TABLE)),
        new RepositoryTable(TableRows.open(service, prefix + RepositoryTable.TABLE)),
        new RunTable(TableRows.open(service, prefix + RunTable.TABLE),
            new ResultTable(TableRows.open(service, prefix + ResultTable.TABLE))),
        new SnapshotTable(TableRows.open(service, prefix + SnapshotTable.TABLE)),
        new RestoreTable(TableRows.open(service, prefix + RestoreTable.TABLE)),
        new MetadataRestoreTable(TableRows.open(service, prefix + MetadataRestoreTable.TABLE)));
  }
}
