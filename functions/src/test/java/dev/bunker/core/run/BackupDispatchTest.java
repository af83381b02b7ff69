package dev.bunker.core.run;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.core.World;
import dev.bunker.core.memory.InMemoryCatalog;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RunReport;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RunRecords;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each repository of a run is sent to the backup workers once, however its dispatchers race. */
class BackupDispatchTest {
  private static final PolicyInput FOUR_AT_A_TIME = aPolicy().concurrency(4).build();

  /** What a decorator does after each call of {@code method} answered {@code answer}. */
  private interface AfterCall {
    void after(String method, Object answer) throws Exception;
  }

  /** {@code runs}, calling {@code afterCall} after each of its calls answered. */
  private static RunRecords observed(RunRecords runs, AfterCall afterCall) {
    Object proxy = Proxy.newProxyInstance(RunRecords.class.getClassLoader(), new Class<?>[] {RunRecords.class},
        (self, method, args) -> {
          Object answer;
          try {
            answer = method.invoke(runs, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          afterCall.after(method.getName(), answer);
          return answer;
        });
    return (RunRecords) proxy;
  }

  /**
   * {@code runs}, except that while {@code together} holds a barrier, every caller that read a
   * run's candidates for dispatch waits for the others to read them too: all finishing backups see the same state.
   */
  private static RunRecords readingResultsTogether(RunRecords runs, AtomicReference<CyclicBarrier> together) {
    return observed(runs, (method, answer) -> {
      CyclicBarrier barrier = together.get();
      // every fill reads its candidates first
      if (barrier != null && method.equals("awaitingDispatch")) {
        barrier.await(10, TimeUnit.SECONDS);
      }
    });
  }

  /** {@code runs}, counting the rows its reads answer (a whole-run read counts every result) into {@code rows}. */
  private static RunRecords countingRowsRead(RunRecords runs, AtomicLong rows) {
    return observed(runs, (method, answer) -> {
      if (answer instanceof List<?> list) {
        rows.addAndGet(list.size());
      } else if (answer instanceof Optional<?> one) {
        rows.addAndGet(one.isPresent() ? 1 : 0);
      } else if (method.equals("allFinished")) {
        rows.incrementAndGet();
      }
    });
  }

  /** Backs up an organization of {@code repositories} four at a time; answers the result rows read per backup. */
  private static double rowsReadPerFinishedBackup(int repositories) {
    Catalog memory = InMemoryCatalog.create();
    AtomicLong rows = new AtomicLong();
    World world = new World("2026-05-01T10:00:00Z", new Catalog(memory.organizations(), memory.credentials(),
        memory.repositories(), countingRowsRead(memory.runs(), rows), memory.snapshots(), memory.restores(),
        memory.metadataRestores()));
    for (int i = 0; i < repositories; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "repo-" + i, RepositoryKind.GIT);
    }
    Organization organization = world.registerContoso(FOUR_AT_A_TIME);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));
    rows.set(0);
    List<WorkItem.BackupRepository> batch = world.queue.take(WorkItem.BackupRepository.class);
    int finished = 0;
    while (!batch.isEmpty()) {
      batch.forEach(work -> world.bunker.backups().backup(work, 1));
      finished += batch.size();
      batch = world.queue.take(WorkItem.BackupRepository.class);
    }
    long read = rows.get();
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
    return (double) read / finished;
  }

  @Test
  void eachFinishedBackupReadsAboutTheConcurrencyInResultsWhateverTheRunsSize() {
    double small = rowsReadPerFinishedBackup(100);
    double large = rowsReadPerFinishedBackup(400);
    // its own result, the candidates and those in flight (the concurrency each), whether the run
    // has ended, and at the end every result once: one row per backup
    assertThat(large).isLessThanOrEqualTo(16);
    assertThat(large - small).isLessThanOrEqualTo(0.5);
  }

  private static Map<String, Long> backupMessagesPerRepository(World world) {
    return world.queue.sent().stream().filter(WorkItem.BackupRepository.class::isInstance)
        .map(item -> ((WorkItem.BackupRepository) item).repositoryId())
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void backupsFinishingTogetherSendEachNextRepositoryOnce() throws Exception {
    Catalog memory = InMemoryCatalog.create();
    AtomicReference<CyclicBarrier> together = new AtomicReference<>();
    World world = new World("2026-05-01T10:00:00Z", new Catalog(memory.organizations(), memory.credentials(),
        memory.repositories(), readingResultsTogether(memory.runs(), together), memory.snapshots(), memory.restores(),
        memory.metadataRestores()));
    for (int i = 0; i < 14; i++) {
      world.source.addRepository(World.CONTOSO, "Team", "repo-" + i, RepositoryKind.GIT);
    }
    Organization organization = world.registerContoso(FOUR_AT_A_TIME);
    RunReport queued = world.bunker.runs().startNow(organization.id(), null);
    world.queue.take(WorkItem.Discover.class).forEach(work -> world.bunker.discovery().discover(work, 1));

    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      List<WorkItem.BackupRepository> batch = world.queue.take(WorkItem.BackupRepository.class);
      while (!batch.isEmpty()) {
        assertThat(batch).hasSizeLessThanOrEqualTo(4);
        together.set(new CyclicBarrier(batch.size()));
        List<Future<?>> running = new ArrayList<>();
        for (WorkItem.BackupRepository work : batch) {
          running.add(workers.submit(() -> world.bunker.backups().backup(work, 1)));
        }
        for (Future<?> backup : running) {
          backup.get(30, TimeUnit.SECONDS);
        }
        batch = world.queue.take(WorkItem.BackupRepository.class);
      }
    } finally {
      together.set(null);
      workers.shutdownNow();
    }

    assertThat(backupMessagesPerRepository(world)).hasSize(14)
        .allSatisfy((repository, sent) -> assertThat(sent).isOne());
    assertThat(world.vault.fetches()).isEqualTo(14);
    assertThat(world.bunker.runs().get(organization.id(), queued.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
  }
}
