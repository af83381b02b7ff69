package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An output's write wakes this host's triggers of that queue, and only those. */
class SharedQueueWatcherTest {
  @Test
  void aWriteWakesEveryTriggerOfItsQueueAndNoOther() {
    SharedQueueWatcher watcher = new SharedQueueWatcher();
    List<String> woken = new ArrayList<>();
    watcher.register("backup-repo", () -> woken.add("first"));
    watcher.register("backup-repo", () -> woken.add("second"));
    watcher.register("restore", () -> woken.add("restore"));

    watcher.notifyEnqueued("backup-repo");
    watcher.notifyEnqueued("nobody-listens");

    assertThat(woken).containsExactly("first", "second");
  }
}
