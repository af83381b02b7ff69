package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.oauth.OAuthStateLedger;
import dev.bunker.core.oauth.OAuthStateLedgerContract;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The Azure Tables ledger against Azurite. */
class TableOAuthStateLedgerTest extends OAuthStateLedgerContract {
  private OAuthStateLedger ledger;

  @BeforeEach
  void createTable() {
    var service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
    ledger = TableOAuthStateLedger.create(service,
        "signins" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  @Override
  protected OAuthStateLedger ledger() {
    return ledger;
  }
}
