package dev.bunker.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.CatalogContract;
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.World;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TableCatalogTest extends CatalogContract {
  private static TableServiceClient service;
  /** Set while the contract's constructor asks for the catalog, so no initializer here. */
  private String prefix;

  @Override
  protected Catalog newCatalog() {
    synchronized (TableCatalogTest.class) {
      if (service == null) {
        service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
      }
    }
    prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return TableCatalog.create(service, prefix);
  }

  @Test
  void noEntityOfAnyTableHoldsTheToken() {
    World world = new World("2026-05-01T10:00:00Z", newCatalog());
    SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    world.vault.failBackupsOf(api.remoteUrl(), new SourceException(SourceException.Reason.ACCESS_DENIED, "rejected token " + World.TOKEN));
    Organization organization = world.registerContoso(null);
    world.bunker.credentials().create(new CreateCredential("spare", World.TOKEN, "me", null));
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();

    List<String> values = new ArrayList<>();
    service.listTables().stream()
        .filter(table -> table.getName().startsWith(prefix))
        .forEach(table -> service.getTableClient(table.getName()).listEntities()
            .forEach(entity -> entity.getProperties().values().forEach(value -> values.add(String.valueOf(value)))));
    assertThat(values).hasSizeGreaterThan(50).anyMatch(value -> value.contains("***"))
        .noneMatch(value -> value.contains(World.TOKEN));
  }
}
