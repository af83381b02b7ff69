package dev.bunker.core;

import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.port.Catalog;

class InMemoryCatalogTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    return InMemoryCatalog.create();
  }
}
