package dev.bunker.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import dev.bunker.core.oauth.OAuthStateLedger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Completed sign-ins in an Azure Table of the app's storage account, one entity per nonce:
 * inserting is the claim, so two instances racing on one callback cannot both win (409).
 */
public final class TableOAuthStateLedger implements OAuthStateLedger {
  public static final String DEFAULT_TABLE = "oauthsignins";
  private static final String PARTITION = "signin";
  private static final String EXPIRES_AT = "ExpiresAt";

  private final TableClient table;

  public TableOAuthStateLedger(TableClient table) {
    this.table = table;
  }

  /** The ledger in {@code tableName}, created if missing. */
  public static TableOAuthStateLedger create(TableServiceClient service, String tableName) {
    service.createTableIfNotExists(tableName);
    return new TableOAuthStateLedger(service.getTableClient(tableName));
  }

  @Override
  public boolean claim(String nonce, Instant expiresAt) {
    TableEntity entity = new TableEntity(PARTITION, nonce)
        .addProperty(EXPIRES_AT, OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC));
    try {
      table.createEntity(entity);
      return true;
    } catch (TableServiceException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void forgetExpired(Instant now) {
    String filter = "PartitionKey eq '" + PARTITION + "' and " + EXPIRES_AT + " lt datetime'"
        + DateTimeFormatter.ISO_INSTANT.format(now) + "'";
    ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setSelect(List.of("RowKey"));
    for (TableEntity expired : table.listEntities(options, null, null)) {
      try {
        table.deleteEntity(PARTITION, expired.getRowKey());
      } catch (TableServiceException e) {
        if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
          throw e;
        }
      }
    }
  }
}
