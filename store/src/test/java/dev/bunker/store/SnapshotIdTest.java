package dev.bunker.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SnapshotIdTest {
  static final Instant NOON = Instant.parse("2026-01-25T12:00:00.750Z");

  @Test
  void namesTheMillisecondAndTheRun() {
    assertThat(SnapshotId.of(NOON, "3f9a1c2e-77").value()).isEqualTo("20260125T120000.750Z-3f9a1c2e77");
    assertThat(SnapshotId.of(NOON, "run1").time()).isEqualTo(NOON);
    assertThat(SnapshotId.of(NOON.plusNanos(999_999), "run1").time()).isEqualTo(NOON);
  }

  @Test
  void twoRunsOfOneSecondSortByTheirTimeWhateverTheirRunPart() {
    assertThat(SnapshotId.of(NOON, "zzzz")).isLessThan(SnapshotId.of(NOON.plusMillis(1), "aaaa"));
  }

  @Test
  void aMillisecondIdKnowsItsRunsSecondOnlyId() {
    assertThat(SnapshotId.parse("20260125T120000.750Z-3f9a").secondForm())
        .contains(SnapshotId.parse("20260125T120000Z-3f9a"));
    assertThat(SnapshotId.parse("20260125T120000Z-3f9a").secondForm()).isEmpty();
  }

  @Test
  void idsOfTheSecondOnlyFormMadeBeforeStayValid() {
    SnapshotId earlier = SnapshotId.parse("20260125T120000Z-3f9a1c2e77");
    assertThat(earlier.time()).isEqualTo(Instant.parse("2026-01-25T12:00:00Z"));
    assertThat(earlier).isLessThan(SnapshotId.parse("20260125T120001.000Z-a"))
        .isGreaterThan(SnapshotId.parse("20260125T115959.999Z-z"));
  }

  @Test
  void twoRunsStartedInTheSameSecondGetDifferentIds() {
    // ULIDs of the same second share their first characters
    assertThat(SnapshotId.of(NOON, "01KAXQ3N8M4Z7Y2W1V0T9S8R7Q"))
        .isNotEqualTo(SnapshotId.of(NOON, "01KAXQ3N8MB6C5D4E3F2G1H0J9"));
  }

  @Test
  void sortsByTime() {
    assertThat(SnapshotId.parse("20260125T120000Z-b")).isLessThan(
        SnapshotId.parse("20260126T010000Z-a"));
  }

  @Test
  void rejectsWhatIsNotASnapshotId() {
    assertThatThrownBy(() -> SnapshotId.parse("../../manifest.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snapshot id");
    assertThatThrownBy(() -> SnapshotId.of(NOON, "---"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run id");
  }
}
