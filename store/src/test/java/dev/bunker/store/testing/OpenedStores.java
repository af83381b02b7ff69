package dev.bunker.store.testing;

import dev.bunker.store.GitStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The stores a test opened, closed after it (each runs lease renewal and upload threads); register
 * with {@code @RegisterExtension}.
 */
public final class OpenedStores implements AfterEachCallback {
  private final List<GitStore> opened = new ArrayList<>();

  /** {@code store}, to be closed after the test. */
  public GitStore add(GitStore store) {
    opened.add(store);
    return store;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    opened.forEach(GitStore::close);
    opened.clear();
  }
}
