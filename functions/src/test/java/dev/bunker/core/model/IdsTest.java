package dev.bunker.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.CountingIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void laterRunsSortFirst() {
    CountingIds ids = new CountingIds();
    String older = RunIds.next(Instant.parse("2026-01-01T00:00:00Z"), ids);
    String newer = RunIds.next(Instant.parse("2026-01-01T00:00:00.001Z"), ids);
    List<String> sorted = new ArrayList<>(List.of(older, newer));
    sorted.sort(null);
    assertThat(sorted).containsExactly(newer, older);
  }

  @Test
  void aRunIdKnowsWhenItStarted() {
    Instant start = Instant.parse("2026-11-25T14:33:34.123Z");
    String runId = RunIds.next(start, length -> "0123abcd");
    assertThat(RunIds.isValid(runId)).isTrue();
    assertThat(RunIds.startedAt(runId)).isEqualTo(start);
    assertThat(RunIds.shortOf(runId)).isEqualTo("0123abcd");
  }

  @Test
  void snapshotIdsAreTheRunsUtcStartAndShortName() {
    String runId = RunIds.next(Instant.parse("2026-11-25T14:33:34.999Z"), length -> "0123abcd");
    assertThat(SnapshotIds.forRun(runId)).isEqualTo("20261125T143334.999Z-0123abcd");
    assertThat(SnapshotIds.isValid(SnapshotIds.forRun(runId))).isTrue();
    assertThat(SnapshotIds.takenAt(SnapshotIds.forRun(runId))).isEqualTo(Instant.parse("2026-11-25T14:33:34.999Z"));
  }

  @Test
  void snapshotsOfTwoRunsStartedInOneSecondSortByTheirStartWhateverTheirRandomPart() {
    String first = SnapshotIds.forRun(RunIds.next(Instant.parse("2026-11-25T14:33:34.100Z"), length -> "ffffffff"));
    String second = SnapshotIds.forRun(RunIds.next(Instant.parse("2026-11-25T14:33:34.200Z"), length -> "00000000"));
    assertThat(first).isLessThan(second);
  }

  @Test
  void snapshotIdsOfTheSecondOnlyFormMadeBeforeStayValid() {
    assertThat(SnapshotIds.isValid("20261125T143334Z-0123abcd")).isTrue();
    assertThat(SnapshotIds.takenAt("20261125T143334Z-0123abcd")).isEqualTo(Instant.parse("2026-11-25T14:33:34Z"));
    // a later second sorts later in either form; within one second the older form sorts last
    assertThat("20261125T143334Z-0123abcd").isLessThan("20261125T143335.000Z-0123abcd")
        .isGreaterThan("20261125T143333.999Z-0123abcd").isGreaterThan("20261125T143334.999Z-0123abcd");
  }

  @Test
  void aSlotsRunIdIsTheSameEveryTimeAndDiffersPerOrganization() {
    Instant slot = Instant.parse("2026-01-15T01:00:00Z");
    String runId = RunIds.forSlot("org1", slot);
    assertThat(RunIds.isValid(runId)).isTrue();
    assertThat(RunIds.startedAt(runId)).isEqualTo(slot);
    assertThat(RunIds.forSlot("org1", slot)).isEqualTo(runId);
    assertThat(RunIds.forSlot("org2", slot)).isNotEqualTo(runId);
  }

  @Test
  void malformedIdsAreRecognised() {
    assertThat(RunIds.isValid("../etc")).isFalse();
    assertThat(RunIds.isValid(null)).isFalse();
    assertThat(SnapshotIds.isValid("20261125T143334Z")).isFalse();
    assertThat(SnapshotIds.isValid("20261125T143334.12Z-0123abcd")).isFalse();
  }

  @Test
  void secretsNeverPrint() {
    Secret secret = Secret.of("hunter2-long-token");
    assertThat(secret.toString()).doesNotContain("hunter2");
    assertThat(secret.redact("auth failed for hunter2-long-token@host")).isEqualTo("auth failed for ***@host");
  }
}
