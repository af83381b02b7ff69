package dev.bunker.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.store.blob.InMemoryBlobs;
import org.junit.jupiter.api.Test;

class RestoreLedgerTest {
  private final InMemoryBlobs blobs = TestBlobs.inMemory();
  private final MetadataStore store = new MetadataStore(blobs);

  @Test
  void aLedgerReadAgainHoldsWhatWasRecordedWhateverTheIdsContain() {
    RestoreLedger first = store.ledger("org1", "restore1");
    first.record("classificationNodes", "Web\\Backend\\API = v2/next", "Copy\\Backend\\API = v2/next");
    first.record("workItem", "7", "1007");
    first.record("workItem", "8", "1008");

    RestoreLedger again = store.ledger("org1", "restore1");

    assertThat(again.find("classificationNodes", "Web\\Backend\\API = v2/next"))
        .contains("Copy\\Backend\\API = v2/next");
    assertThat(again.entries("workItem")).containsEntry("7", "1007").containsEntry("8", "1008").hasSize(2);
    assertThat(again.counts()).containsEntry("workItem", 2).containsEntry("classificationNodes", 1);
    assertThat(store.ledger("org1", "restore2").counts()).as("each restore its own").isEmpty();
    assertThat(store.projectIds("org1")).as("not a snapshot scope").isEmpty();
  }
}
