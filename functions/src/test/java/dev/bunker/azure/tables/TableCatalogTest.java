package dev.bunker.azure.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.CatalogContract;
import dev.bunker.core.CountingIds;
import dev.bunker.core.World;
import dev.bunker.core.model.CreateCredential;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.model.RunIds;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.SourceException;
import dev.bunker.core.model.SourceRepository;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.port.Catalog;
import dev.bunker.metadata.OnConflict;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TableCatalogTest extends CatalogContract {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00.123456Z");
  private static TableServiceClient service;
  /** Set while the contract's constructor asks for the catalog, so no initializer here. */
  private String prefix;

  @Override
  protected Catalog newCatalog() {
    synchronized (TableCatalogTest.class) {
      if (service == null) {
        service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
      }
    }
    prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return TableCatalog.create(service, prefix);
  }

  @Test
  void noEntityOfAnyTableHoldsTheToken() {
    World world = new World("2026-05-01T10:00:00Z", newCatalog());
    SourceRepository api = world.source.addRepository(World.CONTOSO, "Team", "api", RepositoryKind.GIT);
    world.source.addRepository(World.CONTOSO, "Team", "web", RepositoryKind.GIT);
    world.vault.failBackupsOf(api.remoteUrl(),
        new SourceException(SourceException.Reason.ACCESS_DENIED, "rejected token " + World.TOKEN));
    Organization organization = world.registerContoso(null);
    world.bunker.credentials().create(new CreateCredential("spare", World.TOKEN, "me", null));
    world.bunker.runs().startNow(organization.id(), null);
    world.drainQueues();

    List<String> values = new ArrayList<>();
    service.listTables().stream()
        .filter(table -> table.getName().startsWith(prefix))
        .forEach(table -> service.getTableClient(table.getName()).listEntities()
            .forEach(entity -> entity.getProperties().values().forEach(value -> values.add(String.valueOf(value)))));
    assertThat(values).hasSizeGreaterThan(50).anyMatch(value -> value.contains("***"))
        .noneMatch(value -> value.contains(World.TOKEN));
  }

  /** Rows as earlier versions wrote them, before later columns existed: they read with those columns' defaults. */
  @Test
  void rowsWrittenBeforeLaterColumnsExistedStillRead() {
    Catalog catalog = newCatalog();
    OffsetDateTime at = OffsetDateTime.parse("2026-05-01T10:00:00Z");
    service.getTableClient(prefix + "runs").createEntity(new TableEntity("org1", "8222370399999-00000001")
        .addProperty("trigger", "SCHEDULE").addProperty("slot", at).addProperty("createdAt", at));
    service.getTableClient(prefix + "results").createEntity(new TableEntity("8222370399999-00000001", "r1")
        .addProperty("organizationId", "org1").addProperty("project", "Team").addProperty("repository", "api")
        .addProperty("status", "SUCCEEDED").addProperty("attempts", 1).addProperty("packBytesAdded", 1234L)
        .addProperty("objectsAdded", 56L));
    service.getTableClient(prefix + "metadatarestores").createEntity(new TableEntity("org1", "mr1")
        .addProperty("projectId", "p1").addProperty("snapshotId", "20260501T100000Z-00000001")
        .addProperty("status", "QUEUED").addProperty("createdAt", at)
        .addProperty("created", "{\"counts\":{\"workItem\":3}}"));

    Run run = catalog.runs().find("org1", "8222370399999-00000001").orElseThrow();
    assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULE);
    assertThat(run.selection()).isEqualTo(RunSelection.EVERYTHING);
    var result = catalog.runs().result("8222370399999-00000001", "r1").orElseThrow();
    assertThat(result.kind()).isEqualTo(ResultKind.REPOSITORY);
    assertThat(result.status()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(result.packBytesAdded()).isEqualTo(1234L);
    MetadataRestoreJob restore = catalog.metadataRestores().find("org1", "mr1").orElseThrow();
    assertThat(restore.onConflict()).isEqualTo(OnConflict.SKIP);
    assertThat(restore.created()).isEqualTo(Map.of("workItem", 3));
    assertThat(restore.skipped()).isEmpty();
    assertThat(restore.notes()).isEmpty();
    assertThat(restore.createdAt()).isEqualTo(at.toInstant());
  }

  /** The stored layout is what data already in storage holds: names, keys and column types stay as they were. */
  @Test
  void anOrganizationIsStoredUnderItsEarlierColumnsAndTypes() {
    World world = new World("2026-05-01T10:00:00Z", newCatalog());
    Organization organization = world.registerContoso(null);

    TableEntity row = service.getTableClient(prefix + "organizations").getEntity("org", organization.id());
    assertThat(row.getProperties()).containsKeys("url", "kind", "auth", "credentialId", "policy", "nextSlot",
        "createdAt", "updatedAt");
    assertThat(row.getProperty("kind")).isEqualTo(organization.kind().name());
    assertThat(row.getProperty("createdAt")).isInstanceOf(OffsetDateTime.class);
    assertThat(row.getProperty("policy")).isInstanceOf(String.class).asString().startsWith("{");
  }

  /** A catalog on the same tables whose every request is added to {@code requests} (method and path). */
  private Catalog countingRequests(List<String> requests) {
    return TableCatalog.create(new TableServiceClientBuilder()
        .connectionString(Azurite.shared().connectionString()).addPolicy((context, next) -> {
          requests.add(context.getHttpRequest().getHttpMethod() + " " + context.getHttpRequest().getUrl().getPath());
          return next.process();
        }).buildClient(), prefix);
  }

  /**
   * A dispatcher claims the candidates it has just listed: the claim is one write conditional on
   * the ETag the listing gave, without reading the row again (a table round trip per repository).
   */
  @Test
  void aCandidateJustListedIsClaimedWithOneConditionalWriteAndNoRead() {
    newCatalog();
    List<String> requests = new CopyOnWriteArrayList<>();
    Catalog counted = countingRequests(requests);
    String runId = RunIds.next(T0, new CountingIds());
    counted.runs().addResultsIfAbsent(List.of(RepositoryResult.queued(runId, repository("org1", "r1",
        RepositoryState.PROTECTED)),
        RepositoryResult.queued(runId, repository("org1", "r2", RepositoryState.PROTECTED))));
    Instant unsentBefore = T0.minusSeconds(900);
    assertThat(counted.runs().awaitingDispatch(runId, unsentBefore, 2)).hasSize(2);

    requests.clear();
    assertThat(counted.runs().claimDispatch(runId, "r1", T0, unsentBefore)).isTrue();
    assertThat(requests).singleElement().asString().startsWith("PUT ");
    assertThat(counted.runs().result(runId, "r1").orElseThrow().dispatchedAt()).isEqualTo(T0);
  }

  /**
   * Backups finishing together in one process list the same candidates: the first claim of one
   * wins, the others lose it without a request; once the claim timed out it is claimed again.
   */
  @Test
  void aCandidateThisProcessClaimedIsLostByItsOtherClaimsWithoutARequest() {
    newCatalog();
    List<String> requests = new CopyOnWriteArrayList<>();
    Catalog counted = countingRequests(requests);
    Instant unsentBefore = T0.minusSeconds(900);
    String runId = runWithOneCandidateListed(counted, unsentBefore);
    assertThat(counted.runs().awaitingDispatch(runId, unsentBefore, 1)).hasSize(1);
    assertThat(counted.runs().claimDispatch(runId, "r1", T0, unsentBefore)).isTrue();

    requests.clear();
    assertThat(counted.runs().claimDispatch(runId, "r1", T0.plusSeconds(1), unsentBefore)).isFalse();
    assertThat(requests).isEmpty();
    assertThat(counted.runs().result(runId, "r1").orElseThrow().dispatchedAt()).isEqualTo(T0);

    Instant timedOut = T0.plusSeconds(901);
    assertThat(counted.runs().claimDispatch(runId, "r1", timedOut, timedOut.minusSeconds(900))).isTrue();
    assertThat(counted.runs().result(runId, "r1").orElseThrow().dispatchedAt()).isEqualTo(timedOut);
  }

  /** A run with one result, {@code r1}, queued; listed once as a candidate for dispatch. */
  private static String runWithOneCandidateListed(Catalog catalog, Instant unsentBefore) {
    String runId = RunIds.next(T0, new CountingIds());
    catalog.runs().addResultsIfAbsent(List.of(RepositoryResult.queued(runId, repository("org1", "r1",
        RepositoryState.PROTECTED))));
    assertThat(catalog.runs().awaitingDispatch(runId, unsentBefore, 1)).hasSize(1);
    return runId;
  }

  /** Backups finishing at the same instant in one process: one claim, one request. */
  @Test
  void concurrentClaimsOfOneCandidateInOneProcessSendOneRequest() throws Exception {
    newCatalog();
    List<String> requests = new CopyOnWriteArrayList<>();
    Catalog counted = countingRequests(requests);
    Instant unsentBefore = T0.minusSeconds(900);
    String runId = runWithOneCandidateListed(counted, unsentBefore);
    requests.clear();

    int claimers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        Instant now = T0.plusMillis(i);
        claims.add(pool.submit(() -> {
          start.await();
          return counted.runs().claimDispatch(runId, "r1", now, unsentBefore);
        }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> claim : claims) {
        won += claim.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    } finally {
      pool.shutdown();
    }
    assertThat(requests).singleElement().asString().startsWith("PUT ");
  }

  /**
   * Two processes that listed the same candidates: the first claim wins; the second finds its ETag
   * stale, reads the row and sees it claimed; a row changed after the listing is read again too.
   */
  @Test
  void processesThatListedTheSameCandidatesClaimEachOnce() {
    Catalog first = newCatalog();
    Catalog second = TableCatalog.create(service, prefix);
    String runId = RunIds.next(T0, new CountingIds());
    RepositoryResult r1 = RepositoryResult.queued(runId, repository("org1", "r1", RepositoryState.PROTECTED));
    RepositoryResult r2 = RepositoryResult.queued(runId, repository("org1", "r2", RepositoryState.PROTECTED));
    first.runs().addResultsIfAbsent(List.of(r1, r2));
    Instant unsentBefore = T0.minusSeconds(900);
    assertThat(first.runs().awaitingDispatch(runId, unsentBefore, 2)).hasSize(2);
    assertThat(second.runs().awaitingDispatch(runId, unsentBefore, 2)).hasSize(2);

    assertThat(first.runs().claimDispatch(runId, "r1", T0, unsentBefore)).isTrue();
    assertThat(second.runs().claimDispatch(runId, "r1", T0.plusSeconds(1), unsentBefore)).isFalse();
    assertThat(first.runs().result(runId, "r1").orElseThrow().dispatchedAt()).isEqualTo(T0);

    second.runs().saveResult(r2.dispatched(T0).running(1, T0)); // started meanwhile by a message sent before
    assertThat(first.runs().claimDispatch(runId, "r2", T0.plusSeconds(2), unsentBefore)).isFalse();
    assertThat(first.runs().result(runId, "r2").orElseThrow().status()).isEqualTo(ResultStatus.RUNNING);
  }
}
