package dev.bunker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.memory.InMemoryWorkQueue;
import dev.bunker.core.model.WorkItem;
import dev.bunker.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Work leaves through the invocation's outputs for its queues, and at once otherwise. */
class QueueOutputsTest {
  private static final WorkItem.RestoreSnapshot RESTORE = new WorkItem.RestoreSnapshot("org", "restore-1");
  private static final WorkItem.BackupRepository FIRST = new WorkItem.BackupRepository("org", "run", "r1");
  private static final WorkItem.BackupRepository SECOND = new WorkItem.BackupRepository("org", "run", "r2");
  private static final WorkItem.Notify NOTIFY = new WorkItem.Notify("org", "run", null);

  private final InMemoryWorkQueue direct = new InMemoryWorkQueue();
  private final QueueOutputs queue = new QueueOutputs(direct);
  private final Map<String, List<String>> outputs = new LinkedHashMap<>();

  @Test
  void workForTheInvocationsQueuesLeavesThroughItsOutputsInOrderWhenItReturns() {
    String answer =
        QueueOutputs.collect(Set.of(WorkItem.BackupRepository.QUEUE, WorkItem.RestoreSnapshot.QUEUE), () -> {
          queue.enqueue(FIRST);
          queue.enqueue(SECOND);
          assertThat(outputs).as("nothing is handed over before the call returns").isEmpty();
          return "answer";
        }, outputs::put);

    assertThat(answer).isEqualTo("answer");
    assertThat(outputs).as("a queue nothing was enqueued for gets nothing")
        .containsOnlyKeys(WorkItem.BackupRepository.QUEUE);
    assertThat(outputs.get(WorkItem.BackupRepository.QUEUE)).containsExactly(Json.write(FIRST), Json.write(SECOND));
    assertThat(Json.read(outputs.get(WorkItem.BackupRepository.QUEUE).get(0), WorkItem.BackupRepository.class))
        .isEqualTo(FIRST);
    assertThat(direct.all()).isEmpty();
  }

  @Test
  void workForAQueueTheInvocationHasNoOutputForIsSentAtOnce() {
    QueueOutputs.collect(Set.of(WorkItem.RestoreSnapshot.QUEUE), () -> {
      queue.enqueue(NOTIFY);
      assertThat(direct.all()).containsExactly(NOTIFY);
      queue.enqueue(RESTORE);
      return null;
    }, outputs::put);

    assertThat(outputs).containsOnlyKeys(WorkItem.RestoreSnapshot.QUEUE);
    assertThat(direct.all()).containsExactly(NOTIFY);
  }

  @Test
  void workEnqueuedOutsideAnInvocationOrOnAnotherThreadIsSentAtOnce() {
    queue.enqueue(FIRST);
    QueueOutputs.collect(Set.of(WorkItem.BackupRepository.QUEUE), () -> CompletableFuture.runAsync(
        () -> queue.enqueue(SECOND)).join(), outputs::put);

    assertThat(direct.all()).containsExactly(FIRST, SECOND);
    assertThat(outputs).isEmpty();
    queue.enqueue(RESTORE);
    assertThat(direct.all()).containsExactly(FIRST, SECOND, RESTORE);
  }

  @Test
  void whatACallThatThrowsCollectedIsSentAtOnceForTheHostWritesNoOutputsOfAFailedInvocation() {
    assertThatThrownBy(() -> QueueOutputs.collect(Set.of(WorkItem.BackupRepository.QUEUE), () -> {
      queue.enqueue(FIRST);
      throw new IllegalStateException("failed after enqueuing");
    }, outputs::put)).hasMessage("failed after enqueuing");

    assertThat(outputs).isEmpty();
    assertThat(direct.all()).containsExactly(FIRST);
    queue.enqueue(SECOND);
    assertThat(direct.all()).as("the collection ended with the call").containsExactly(FIRST, SECOND);
  }
}
