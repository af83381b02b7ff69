package dev.bunker.core.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryState;
import org.junit.jupiter.api.Test;

class BundlesTest {
  @Test
  void namesADownloadForItsProjectRepositoryAndSnapshotInPlainCharacters() {
    Repository repository =
        new Repository("org1", "6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c", "p1", "Web Site", "api/v2 (old)",
            RepositoryKind.GIT, RepositoryState.PROTECTED, null, null, null, null, null, null, null);

    assertThat(Bundles.fileName(repository, "20260101T010000Z-0000e001"))
        .isEqualTo("Web-Site-api-v2-old-20260101T010000Z-0000e001.bundle");
  }
}
