package dev.bunker.azure;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.Catalog;
import dev.bunker.core.CatalogContract;
import java.util.UUID;

class TableCatalogTest extends CatalogContract {
  private static TableServiceClient service;

  @Override
  protected Catalog newCatalog() {
    synchronized (TableCatalogTest.class) {
      if (service == null) {
        service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
      }
    }
    return TableCatalog.create(service, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }
}
