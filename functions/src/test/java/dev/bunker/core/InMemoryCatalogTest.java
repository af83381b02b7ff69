package dev.bunker.core;

import dev.bunker.core.memory.InMemoryCatalog;

class InMemoryCatalogTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    return InMemoryCatalog.create();
  }
}
