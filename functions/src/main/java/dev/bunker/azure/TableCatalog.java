package dev.bunker.azure;

import static dev.bunker.azure.Tables.enumOf;
import static dev.bunker.azure.Tables.instant;
import static dev.bunker.azure.Tables.integer;
import static dev.bunker.azure.Tables.number;
import static dev.bunker.azure.Tables.put;
import static dev.bunker.azure.Tables.stored;
import static dev.bunker.azure.Tables.string;

import com.azure.core.http.HttpHeaderName;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.model.Credential;
import dev.bunker.core.model.CredentialKind;
import dev.bunker.core.port.CredentialRecords;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.OrganizationKind;
import dev.bunker.core.port.OrganizationRecords;
import dev.bunker.core.model.Policy;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RepositoryKind;
import dev.bunker.core.port.RepositoryRecords;
import dev.bunker.core.model.RepositoryResult;
import dev.bunker.core.model.RepositoryState;
import dev.bunker.core.model.MetadataRestoreJob;
import dev.bunker.core.port.MetadataRestoreRecords;
import dev.bunker.core.model.Restore;
import dev.bunker.core.port.RestoreRecords;
import dev.bunker.core.model.RestoreStatus;
import dev.bunker.core.model.RestoreTarget;
import dev.bunker.core.model.ResultKind;
import dev.bunker.core.model.ResultStatus;
import dev.bunker.core.model.Run;
import dev.bunker.core.port.RunRecords;
import dev.bunker.core.model.RunSelection;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.port.SnapshotRecords;
import dev.bunker.core.model.StaleVersionException;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.Versioned;
import dev.bunker.json.Json;
import dev.bunker.metadata.OnConflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalog in Azure Tables (docs/design.md §9), in the app's storage account. Organization
 * writes are conditional on the ETag read; repository rows are merged so that discovery and
 * backups each write only their own columns.
 */
public final class TableCatalog {
  /** Azure Tables' limit on operations in one transaction. */
  private static final int TRANSACTION_LIMIT = 100;
  private static final String ORGANIZATIONS_PARTITION = "org";
  private static final String CREDENTIALS_PARTITION = "cred";

  private TableCatalog() {}

  /**
   * The catalog over {@code service}, creating its tables when missing. {@code prefix} (letters
   * and digits, may be empty) keeps tests apart in one storage account.
   */
  public static Catalog create(TableServiceClient service, String prefix) {
    TableClient organizations = table(service, prefix + "organizations");
    TableClient credentials = table(service, prefix + "credentials");
    TableClient runs = table(service, prefix + "runs");
    TableClient results = table(service, prefix + "results");
    TableClient repositories = table(service, prefix + "repositories");
    TableClient snapshots = table(service, prefix + "snapshots");
    TableClient restores = table(service, prefix + "restores");
    TableClient metadataRestores = table(service, prefix + "metadatarestores");
    return new Catalog(new Organizations(organizations), new Credentials(credentials), new Repositories(repositories),
        new Runs(runs, results), new Snapshots(snapshots), new Restores(restores),
        new MetadataRestores(metadataRestores));
  }

  private static TableClient table(TableServiceClient service, String name) {
    service.createTableIfNotExists(name);
    return service.getTableClient(name);
  }

  private static final class Organizations implements OrganizationRecords {
    private final TableClient table;

    Organizations(TableClient table) {
      this.table = table;
    }

    @Override
    public Versioned<Organization> insert(Organization organization) {
      Tables.create(table, entity(organization), "organization");
      return find(organization.id()).orElseThrow();
    }

    @Override
    public Optional<Versioned<Organization>> find(String id) {
      return Tables.get(table, ORGANIZATIONS_PARTITION, id).map(Organizations::versioned);
    }

    @Override
    public List<Versioned<Organization>> list() {
      return Tables.partition(table, ORGANIZATIONS_PARTITION, null).stream().map(Organizations::versioned).toList();
    }

    @Override
    public Versioned<Organization> replace(Organization organization, String expectedVersion) {
      try {
        var response = table.updateEntityWithResponse(Tables.withETag(entity(organization), expectedVersion),
            TableEntityUpdateMode.REPLACE, true, null, null);
        return new Versioned<>(organization, wellFormed(response.getHeaders().getValue(HttpHeaderName.ETAG)));
      } catch (TableServiceException e) {
        int status = e.getResponse().getStatusCode();
        if (status == 412 || status == 404) {
          throw new StaleVersionException("organization", organization.id());
        }
        throw e;
      }
    }

    /** Azurite 3.37 drops the closing quote of the ETag header (not of the entity's etag); put it back. */
    private static String wellFormed(String etag) {
      return etag != null && etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
    }

    private static TableEntity entity(Organization organization) {
      TableEntity entity = new TableEntity(ORGANIZATIONS_PARTITION, organization.id());
      put(entity, "url", organization.url());
      put(entity, "kind", organization.kind());
      put(entity, "auth", organization.auth());
      put(entity, "credentialId", organization.credentialId());
      put(entity, "policy", Json.write(organization.policy()));
      put(entity, "nextSlot", organization.nextSlot());
      put(entity, "createdAt", organization.createdAt());
      put(entity, "updatedAt", organization.updatedAt());
      put(entity, "deletedAt", organization.deletedAt());
      put(entity, "consentNeededSince", organization.consentNeededSince());
      return entity;
    }

    private static Versioned<Organization> versioned(TableEntity entity) {
      Organization organization = new Organization(entity.getRowKey(), string(entity, "url"),
          enumOf(entity, "kind", OrganizationKind.class), enumOf(entity, "auth", CredentialKind.class),
          string(entity, "credentialId"), Policy.from(stored(entity, "policy", PolicyInput.class)),
          instant(entity, "nextSlot"), instant(entity, "createdAt"), instant(entity, "updatedAt"),
          instant(entity, "deletedAt"), instant(entity, "consentNeededSince"));
      return new Versioned<>(organization, entity.getETag());
    }
  }

  private static final class Credentials implements CredentialRecords {
    private final TableClient table;

    Credentials(TableClient table) {
      this.table = table;
    }

    @Override
    public void insert(Credential credential) {
      Tables.create(table, entity(credential), "credential");
    }

    @Override
    public Optional<Credential> find(String id) {
      return Tables.get(table, CREDENTIALS_PARTITION, id).map(Credentials::credential);
    }

    @Override
    public List<Credential> list() {
      return Tables.partition(table, CREDENTIALS_PARTITION, null).stream().map(Credentials::credential).toList();
    }

    @Override
    public void update(Credential credential) {
      table.updateEntity(entity(credential), TableEntityUpdateMode.REPLACE);
    }

    @Override
    public void delete(String id) {
      Tables.deleteIfPresent(table, CREDENTIALS_PARTITION, id);
    }

    private static TableEntity entity(Credential credential) {
      TableEntity entity = new TableEntity(CREDENTIALS_PARTITION, credential.id());
      put(entity, "name", credential.name());
      put(entity, "kind", credential.kind());
      put(entity, "secretName", credential.secretName());
      put(entity, "username", credential.username());
      put(entity, "createdAt", credential.createdAt());
      put(entity, "lastValidatedAt", credential.lastValidatedAt());
      return entity;
    }

    private static Credential credential(TableEntity entity) {
      return new Credential(entity.getRowKey(), string(entity, "name"), enumOf(entity, "kind", CredentialKind.class),
          string(entity, "secretName"), string(entity, "username"), instant(entity, "createdAt"),
          instant(entity, "lastValidatedAt"));
    }
  }

  private static final class Repositories implements RepositoryRecords {
    private final TableClient table;

    Repositories(TableClient table) {
      this.table = table;
    }

    @Override
    public List<Repository> list(String organizationId) {
      return Tables.partition(table, organizationId, null).stream().map(Repositories::repository).toList();
    }

    @Override
    public Optional<Repository> find(String organizationId, String repositoryId) {
      return Tables.get(table, organizationId, repositoryId).map(Repositories::repository);
    }

    @Override
    public void saveDiscovered(Collection<Repository> repositories) {
      Map<String, List<TableTransactionAction>> byOrganization = new LinkedHashMap<>();
      for (Repository repository : repositories) {
        TableEntity entity = new TableEntity(repository.organizationId(), repository.id());
        put(entity, "projectId", repository.projectId());
        put(entity, "project", repository.project());
        put(entity, "name", repository.name());
        put(entity, "kind", repository.kind());
        put(entity, "state", repository.state());
        put(entity, "remoteUrl", repository.remoteUrl());
        put(entity, "discoveredAt", repository.discoveredAt());
        byOrganization.computeIfAbsent(repository.organizationId(), id -> new ArrayList<>())
            .add(new TableTransactionAction(TableTransactionActionType.UPSERT_MERGE, entity));
      }
      byOrganization.values().forEach(actions -> submit(table, actions));
    }

    @Override
    public void recordSnapshot(RepositoryKey key, String snapshotId, Instant takenAt) {
      TableEntity entity = new TableEntity(key.organizationId(), key.repositoryId());
      put(entity, "lastSnapshotId", snapshotId);
      put(entity, "lastSnapshotAt", takenAt);
      table.updateEntity(entity, TableEntityUpdateMode.MERGE);
    }

    /** Merged, as backups and discovery write the same row; "no damage" is an empty string, since a merge
     * cannot remove a column. */
    @Override
    public void recordVerification(RepositoryKey key, Instant verifiedAt, String damage) {
      TableEntity entity = new TableEntity(key.organizationId(), key.repositoryId());
      put(entity, "verifiedAt", verifiedAt);
      put(entity, "damage", damage == null ? "" : damage);
      table.updateEntity(entity, TableEntityUpdateMode.MERGE);
    }

    private static Repository repository(TableEntity entity) {
      return new Repository(entity.getPartitionKey(), entity.getRowKey(), string(entity, "projectId"),
          string(entity, "project"), string(entity, "name"), enumOf(entity, "kind", RepositoryKind.class),
          enumOf(entity, "state", RepositoryState.class), string(entity, "remoteUrl"), instant(entity, "discoveredAt"),
          string(entity, "lastSnapshotId"), instant(entity, "lastSnapshotAt"), instant(entity, "verifiedAt"),
          Optional.ofNullable(string(entity, "damage")).filter(damage -> !damage.isEmpty()).orElse(null));
    }
  }

  private static final class Runs implements RunRecords {
    private final TableClient runs;
    private final TableClient results;

    Runs(TableClient runs, TableClient results) {
      this.runs = runs;
      this.results = results;
    }

    @Override
    public boolean createIfAbsent(Run run) {
      return Tables.createIfAbsent(runs, entity(run));
    }

    @Override
    public Optional<Run> find(String organizationId, String runId) {
      return Tables.get(runs, organizationId, runId).map(Runs::run);
    }

    @Override
    public void update(Run run) {
      runs.updateEntity(entity(run), TableEntityUpdateMode.REPLACE);
    }

    @Override
    public List<Run> newest(String organizationId, int top) {
      // row keys are inverted start times, so the partition's first rows are the newest runs
      return Tables.partition(runs, organizationId, top).stream().map(Runs::run).toList();
    }

    @Override
    public void addResultsIfAbsent(Collection<RepositoryResult> added) {
      Map<String, List<TableTransactionAction>> byRun = new LinkedHashMap<>();
      for (RepositoryResult result : added) {
        byRun.computeIfAbsent(result.runId(), id -> new ArrayList<>())
            .add(new TableTransactionAction(TableTransactionActionType.CREATE, entity(result)));
      }
      for (List<TableTransactionAction> actions : byRun.values()) {
        for (int from = 0; from < actions.size(); from += TRANSACTION_LIMIT) {
          List<TableTransactionAction> chunk = actions.subList(from, Math.min(actions.size(), from + TRANSACTION_LIMIT));
          try {
            results.submitTransaction(chunk);
          } catch (TableTransactionFailedException e) {
            // some already exist (a redelivered discovery): add the missing ones one by one
            chunk.forEach(action -> Tables.createIfAbsent(results, action.getEntity()));
          }
        }
      }
    }

    @Override
    public Optional<RepositoryResult> result(String runId, String repositoryId) {
      return Tables.get(results, runId, repositoryId).map(Runs::result);
    }

    @Override
    public void saveResult(RepositoryResult result) {
      results.upsertEntity(entity(result));
    }

    @Override
    public List<RepositoryResult> results(String runId) {
      return Tables.partition(results, runId, null).stream().map(Runs::result).toList();
    }

    /** Read, check, then replace conditional on the ETag read; a lost race re-reads and checks again. */
    @Override
    public boolean claimDispatch(String runId, String repositoryId, Instant now, Instant unsentBefore) {
      while (true) {
        Optional<TableEntity> row = Tables.get(results, runId, repositoryId);
        if (row.isEmpty() || !result(row.get()).awaitsDispatch(unsentBefore)) {
          return false;
        }
        TableEntity claimed = Tables.withETag(entity(result(row.get()).dispatched(now)), row.get().getETag());
        try {
          results.updateEntityWithResponse(claimed, TableEntityUpdateMode.REPLACE, true, null, null);
          return true;
        } catch (TableServiceException e) {
          int status = e.getResponse().getStatusCode();
          if (status != 412 && status != 404) {
            throw e;
          }
        }
      }
    }

    private static TableEntity entity(Run run) {
      TableEntity entity = new TableEntity(run.organizationId(), run.id());
      put(entity, "trigger", run.trigger());
      put(entity, "slot", run.slot());
      put(entity, "selection", run.selection() == null ? null : Json.write(run.selection()));
      put(entity, "createdAt", run.createdAt());
      put(entity, "discoveredAt", run.discoveredAt());
      put(entity, "repositoryCount", run.repositoryCount());
      put(entity, "error", run.error());
      return entity;
    }

    private static Run run(TableEntity entity) {
      String selection = string(entity, "selection");
      return new Run(entity.getPartitionKey(), entity.getRowKey(), enumOf(entity, "trigger", Trigger.class),
          instant(entity, "slot"), selection == null ? RunSelection.EVERYTHING : stored(entity, "selection", RunSelection.class),
          instant(entity, "createdAt"), instant(entity, "discoveredAt"), integer(entity, "repositoryCount"),
          string(entity, "error"));
    }

    private static TableEntity entity(RepositoryResult result) {
      TableEntity entity = new TableEntity(result.runId(), result.repositoryId());
      put(entity, "organizationId", result.organizationId());
      put(entity, "project", result.project());
      put(entity, "repository", result.repository());
      put(entity, "status", result.status());
      put(entity, "attempts", result.attempts());
      put(entity, "dispatchedAt", result.dispatchedAt());
      put(entity, "startedAt", result.startedAt());
      put(entity, "finishedAt", result.finishedAt());
      put(entity, "snapshotId", result.snapshotId());
      put(entity, "packBytesAdded", result.packBytesAdded());
      put(entity, "objectsAdded", result.objectsAdded());
      put(entity, "error", result.error());
      put(entity, "kind", result.kind());
      return entity;
    }

    private static RepositoryResult result(TableEntity entity) {
      return new RepositoryResult(entity.getPartitionKey(), entity.getRowKey(), string(entity, "organizationId"),
          string(entity, "project"), string(entity, "repository"), enumOf(entity, "status", ResultStatus.class),
          integer(entity, "attempts"), instant(entity, "dispatchedAt"), instant(entity, "startedAt"),
          instant(entity, "finishedAt"),
          string(entity, "snapshotId"), number(entity, "packBytesAdded"), number(entity, "objectsAdded"),
          string(entity, "error"),
          // results written before metadata backups existed have no kind: they are repositories
          entity.getProperty("kind") == null ? ResultKind.REPOSITORY : enumOf(entity, "kind", ResultKind.class));
    }
  }

  private static final class Snapshots implements SnapshotRecords {
    private final TableClient table;

    Snapshots(TableClient table) {
      this.table = table;
    }

    /** Merged: a backup redelivered after its verification keeps the verification's columns. */
    @Override
    public void save(Snapshot snapshot) {
      table.upsertEntity(entity(snapshot));
    }

    /** Replaces the row read, so that an intact result clears an earlier error. */
    @Override
    public void recordVerification(RepositoryKey repository, String snapshotId, Instant verifiedAt,
        String verifyError) {
      find(repository, snapshotId).ifPresent(snapshot -> table.updateEntity(
          entity(snapshot.verified(verifiedAt, verifyError)), TableEntityUpdateMode.REPLACE));
    }

    private static TableEntity entity(Snapshot snapshot) {
      TableEntity entity = new TableEntity(partition(snapshot.repositoryKey()), snapshot.id());
      put(entity, "organizationId", snapshot.organizationId());
      put(entity, "repositoryId", snapshot.repositoryId());
      put(entity, "runId", snapshot.runId());
      put(entity, "takenAt", snapshot.takenAt());
      put(entity, "refCount", snapshot.refCount());
      put(entity, "headCommit", snapshot.headCommit());
      put(entity, "packBytesAdded", snapshot.packBytesAdded());
      put(entity, "verifiedAt", snapshot.verifiedAt());
      put(entity, "verifyError", snapshot.verifyError());
      return entity;
    }

    @Override
    public List<Snapshot> list(RepositoryKey repository) {
      List<Snapshot> snapshots = new ArrayList<>(
          Tables.partition(table, partition(repository), null).stream().map(Snapshots::snapshot).toList());
      snapshots.sort(Comparator.comparing(Snapshot::id).reversed());
      return snapshots;
    }

    @Override
    public Optional<Snapshot> find(RepositoryKey repository, String snapshotId) {
      return Tables.get(table, partition(repository), snapshotId).map(Snapshots::snapshot);
    }

    @Override
    public void delete(RepositoryKey repository, String snapshotId) {
      Tables.deleteIfPresent(table, partition(repository), snapshotId);
    }

    private static String partition(RepositoryKey key) {
      return key.organizationId() + "_" + key.repositoryId();
    }

    private static Snapshot snapshot(TableEntity entity) {
      return new Snapshot(string(entity, "organizationId"), string(entity, "repositoryId"), entity.getRowKey(),
          string(entity, "runId"), instant(entity, "takenAt"), integer(entity, "refCount"),
          string(entity, "headCommit"), number(entity, "packBytesAdded"), instant(entity, "verifiedAt"),
          string(entity, "verifyError"));
    }
  }

  private static final class Restores implements RestoreRecords {
    private final TableClient table;

    Restores(TableClient table) {
      this.table = table;
    }

    @Override
    public void insert(Restore restore) {
      Tables.create(table, entity(restore), "restore");
    }

    @Override
    public Optional<Restore> find(String organizationId, String restoreId) {
      return Tables.get(table, organizationId, restoreId).map(Restores::restore);
    }

    @Override
    public void update(Restore restore) {
      table.updateEntity(entity(restore), TableEntityUpdateMode.REPLACE);
    }

    private static TableEntity entity(Restore restore) {
      TableEntity entity = new TableEntity(restore.organizationId(), restore.id());
      put(entity, "repositoryId", restore.repositoryId());
      put(entity, "snapshotId", restore.snapshotId());
      put(entity, "targetOrganizationId", restore.target().organizationId());
      put(entity, "targetProject", restore.target().project());
      put(entity, "targetRepository", restore.target().repository());
      put(entity, "targetCreate", restore.target().create());
      put(entity, "status", restore.status());
      put(entity, "createdAt", restore.createdAt());
      put(entity, "finishedAt", restore.finishedAt());
      put(entity, "targetUrl", restore.targetUrl());
      put(entity, "error", restore.error());
      return entity;
    }

    private static Restore restore(TableEntity entity) {
      Object create = entity.getProperty("targetCreate");
      return new Restore(entity.getPartitionKey(), entity.getRowKey(), string(entity, "repositoryId"),
          string(entity, "snapshotId"), new RestoreTarget(string(entity, "targetOrganizationId"),
              string(entity, "targetProject"), string(entity, "targetRepository"), (Boolean) create),
          enumOf(entity, "status", RestoreStatus.class), instant(entity, "createdAt"), instant(entity, "finishedAt"),
          string(entity, "targetUrl"), string(entity, "error"));
    }
  }

  /**
   * Metadata restores; what they created, skipped and renamed, people they could not map and notes
   * are JSON columns (capped lists). A claim is a replace conditional on the ETag read.
   */
  private static final class MetadataRestores implements MetadataRestoreRecords {
    private final TableClient table;

    MetadataRestores(TableClient table) {
      this.table = table;
    }

    @Override
    public void insert(MetadataRestoreJob restore) {
      Tables.create(table, entity(restore), "metadata restore");
    }

    @Override
    public Optional<MetadataRestoreJob> find(String organizationId, String restoreId) {
      return Tables.get(table, organizationId, restoreId).map(MetadataRestores::restore);
    }

    @Override
    public Optional<MetadataRestoreJob> claim(String organizationId, String restoreId, String claimant, Instant now,
        Instant until) {
      while (true) {
        Optional<TableEntity> row = Tables.get(table, organizationId, restoreId);
        if (row.isEmpty()) {
          return Optional.empty();
        }
        MetadataRestoreJob current = restore(row.get());
        if (current.status().isFinished() || current.isClaimedAt(now)) {
          return Optional.empty();
        }
        MetadataRestoreJob claimed = current.claimed(claimant, until);
        if (replaced(claimed, row.get().getETag())) {
          return Optional.of(claimed);
        }
      }
    }

    @Override
    public boolean updateClaimed(MetadataRestoreJob restore, String claimant) {
      while (true) {
        Optional<TableEntity> row = Tables.get(table, restore.organizationId(), restore.id());
        if (row.isEmpty() || !claimant.equals(string(row.get(), "claimedBy"))) {
          return false;
        }
        if (replaced(restore, row.get().getETag())) {
          return true;
        }
      }
    }

    /** Replaces the row if it is still at {@code etag}; false when another write came first. */
    private boolean replaced(MetadataRestoreJob restore, String etag) {
      try {
        table.updateEntityWithResponse(Tables.withETag(entity(restore), etag), TableEntityUpdateMode.REPLACE, true,
            null, null);
        return true;
      } catch (TableServiceException e) {
        int status = e.getResponse().getStatusCode();
        if (status != 412 && status != 404) {
          throw e;
        }
        return false;
      }
    }

    private static TableEntity entity(MetadataRestoreJob restore) {
      TableEntity entity = new TableEntity(restore.organizationId(), restore.id());
      put(entity, "projectId", restore.projectId());
      put(entity, "snapshotId", restore.snapshotId());
      put(entity, "targetOrganizationId", restore.targetOrganizationId());
      put(entity, "targetProject", restore.targetProject());
      put(entity, "onConflict", restore.onConflict());
      put(entity, "status", restore.status());
      put(entity, "createdAt", restore.createdAt());
      put(entity, "finishedAt", restore.finishedAt());
      put(entity, "created", Json.write(new Created(restore.created())));
      put(entity, "skipped", Json.write(restore.skipped()));
      put(entity, "renamed", Json.write(restore.renamed()));
      put(entity, "unmappedIdentities", Json.write(restore.unmappedIdentities()));
      put(entity, "notes", Json.write(restore.notes()));
      put(entity, "error", restore.error());
      put(entity, "claimedBy", restore.claimedBy());
      put(entity, "claimedUntil", restore.claimedUntil());
      return entity;
    }

    private static MetadataRestoreJob restore(TableEntity entity) {
      OnConflict onConflict = enumOf(entity, "onConflict", OnConflict.class);
      return new MetadataRestoreJob(entity.getPartitionKey(), entity.getRowKey(), string(entity, "projectId"),
          string(entity, "snapshotId"), string(entity, "targetOrganizationId"), string(entity, "targetProject"),
          // restores requested before onConflict existed skip, as every restore does unless told otherwise
          onConflict == null ? OnConflict.SKIP : onConflict,
          enumOf(entity, "status", RestoreStatus.class), instant(entity, "createdAt"), instant(entity, "finishedAt"),
          stored(entity, "created", Created.class).counts(), list(entity, "skipped"), list(entity, "renamed"),
          list(entity, "unmappedIdentities"), list(entity, "notes"), string(entity, "error"),
          string(entity, "claimedBy"), instant(entity, "claimedUntil"));
    }

    /** A JSON list column; empty for rows written before it existed. */
    private static List<String> list(TableEntity entity, String column) {
      return string(entity, column) == null ? List.of() : List.of(stored(entity, column, String[].class));
    }

    /** The stored form of what a restore created, per kind. */
    private record Created(Map<String, Integer> counts) {}
  }

  private static void submit(TableClient table, List<TableTransactionAction> actions) {
    for (int from = 0; from < actions.size(); from += TRANSACTION_LIMIT) {
      table.submitTransaction(actions.subList(from, Math.min(actions.size(), from + TRANSACTION_LIMIT)));
    }
  }
}
