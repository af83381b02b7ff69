package dev.bunker.core.retention;

import dev.bunker.core.model.Failures;
import dev.bunker.core.model.IntactSnapshot;
import dev.bunker.core.model.NotFoundException;
import dev.bunker.core.model.Organization;
import dev.bunker.core.model.Repository;
import dev.bunker.core.model.RepositoryKey;
import dev.bunker.core.model.RetryLaterException;
import dev.bunker.core.model.Signal;
import dev.bunker.core.model.Snapshot;
import dev.bunker.core.model.SnapshotCheck;
import dev.bunker.core.model.Versioned;
import dev.bunker.core.model.WorkItem;
import dev.bunker.core.port.Catalog;
import dev.bunker.core.port.RepositoryVault;
import dev.bunker.core.port.WorkQueue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * "Protected" means restorable: the {@code verify} worker reads a repository's snapshots back out of
 * storage and checks every object is there and hashes to its id, and records per snapshot when and
 * what it found ({@code verifiedAt}, {@code verifyError}) and per repository what is damaged. After a
 * backup only what the new snapshot adds to its newest intact predecessor is read; the weekly timer
 * checks every snapshot, each against the previous one found intact in the same run, so every object
 * of every snapshot is read in that run and shared objects only once. Damage is logged at SEVERE
 * naming organization, repository, snapshot and pack.
 */
public final class Verifications {
  /** How often a verification writes the repository's summary at most, reading the snapshots after each. */
  private static final int SUMMARY_WRITES = 3;
  private static final Logger LOG = Logger.getLogger(Verifications.class.getName());

  private final Catalog catalog;
  private final RepositoryVault vault;
  private final WorkQueue queue;
  private final Clock clock;
  private final int maxAttempts;

  public Verifications(Catalog catalog, RepositoryVault vault, WorkQueue queue, Clock clock, int maxAttempts) {
    this.catalog = catalog;
    this.vault = vault;
    this.queue = queue;
    this.clock = clock;
    this.maxAttempts = maxAttempts;
  }

  /** The weekly timer: one full verification per repository with snapshots, of every active organization. */
  public int scheduleAll() {
    Instant now = clock.instant();
    int queued = 0;
    for (Versioned<Organization> organization : catalog.organizations().list()) {
      if (!organization.value().isActive()) {
        continue;
      }
      for (Repository repository : catalog.repositories().list(organization.value().id())) {
        if (repository.lastSnapshotId() == null) {
          continue;
        }
        try {
          queue.enqueue(new WorkItem.VerifySnapshots(repository.organizationId(), repository.id(), null, now));
          queued++;
        } catch (RuntimeException e) {
          // one refused message must not cost the other repositories their weekly verification
          LOG.log(Level.WARNING, "organization " + repository.organizationId() + ", repository " + repository.id()
              + ": weekly verification not queued; next week's run tries again", e);
        }
      }
    }
    return queued;
  }

  /**
   * After a backup: verify the snapshot it made. A queue that refuses the message does not fail the backup,
   * which is stored; the weekly run verifies the snapshot then.
   */
  public void afterBackup(RepositoryKey repository, String snapshotId) {
    try {
      queue.enqueue(new WorkItem.VerifySnapshots(repository.organizationId(), repository.repositoryId(), snapshotId,
          clock.instant()));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "organization " + repository.organizationId() + ", repository "
          + repository.repositoryId() + ", snapshot " + snapshotId + ": verification not queued; the weekly run"
          + " verifies it", e);
    }
  }

  /** Handles delivery number {@code attempt}; throws (so that the queue retries) when storage did not answer. */
  public void verify(WorkItem.VerifySnapshots work, long attempt) {
    Optional<Repository> found = catalog.repositories().find(work.organizationId(), work.repositoryId());
    if (found.isEmpty()) {
      LOG.info(() -> "verification of unknown repository " + work.repositoryId() + " dropped");
      return;
    }
    Repository repository = found.get();
    try {
      if (work.snapshotId() == null) {
        verifyAll(repository, work.requestedAt());
      } else {
        verifyNew(repository, work.snapshotId(), work.requestedAt());
      }
      recordSummary(repository.key(), clock.instant());
    } catch (RuntimeException e) {
      String reason = Failures.reasonOf(e, null);
      if (attempt < maxAttempts && Failures.worthRetrying(e)) {
        LOG.warning(() -> "verification of " + describe(repository) + ": attempt " + attempt + " failed, will retry: "
            + reason);
        throw new RetryLaterException("verification of " + repository.id() + " failed: " + reason);
      }
      LOG.log(Level.WARNING, "verification of " + describe(repository) + " could not finish: " + reason, e);
    }
  }

  /** Every delivery of {@code work} died (timed out, say): say so; the next weekly run tries again. */
  public void giveUp(WorkItem.VerifySnapshots work) {
    LOG.warning(() -> "verification of repository " + work.repositoryId() + " of organization "
        + work.organizationId() + " gave up: " + Failures.STOPPED_EVERY_TIME);
  }

  private void verifyNew(Repository repository, String snapshotId, Instant requestedAt) {
    List<Snapshot> newestFirst = catalog.snapshots().list(repository.key());
    Optional<Snapshot> snapshot = newestFirst.stream().filter(s -> s.id().equals(snapshotId)).findFirst();
    if (snapshot.isEmpty() || doneSince(snapshot.get(), requestedAt)) {
      return;
    }
    Optional<Snapshot> base = newestFirst.stream()
        .filter(s -> s.id().compareTo(snapshotId) < 0 && s.verifiedIntact()).findFirst();
    check(repository, snapshot.get(), base);
  }

  private void verifyAll(Repository repository, Instant requestedAt) {
    List<Snapshot> oldestFirst = new ArrayList<>(catalog.snapshots().list(repository.key()));
    Collections.reverse(oldestFirst);
    Optional<Snapshot> base = Optional.empty();
    for (Snapshot snapshot : oldestFirst) {
      Snapshot checked = doneSince(snapshot, requestedAt) ? snapshot : check(repository, snapshot, base);
      if (checked.verifiedIntact()) {
        base = Optional.of(checked);
      }
    }
  }

  /** Whether a verification that started after {@code requestedAt} (an earlier delivery) did it. */
  private static boolean doneSince(Snapshot snapshot, Instant requestedAt) {
    return snapshot.verifiedAt() != null && requestedAt != null && !snapshot.verifiedAt().isBefore(requestedAt);
  }

  /** Verifies one snapshot and records the result; returns it as recorded. */
  private Snapshot check(Repository repository, Snapshot snapshot, Optional<Snapshot> base) {
    SnapshotCheck result;
    try {
      result = vault.verify(repository.key(), snapshot.id(), base.map(Snapshot::id));
    } catch (NotFoundException e) {
      // forgotten by retention between its two steps (store first, catalog next)
      LOG.info(() -> describe(repository) + ", snapshot " + snapshot.id() + " is no longer stored; not verified");
      return snapshot;
    }
    Snapshot verified = snapshot.verified(clock.instant(), result.damage());
    catalog.snapshots().recordVerification(repository.key(), snapshot.id(), verified.verifiedAt(),
        verified.verifyError());
    if (result.intact()) {
      LOG.info(() -> describe(repository) + ", snapshot " + snapshot.id() + ": " + result.objects()
          + " objects verified" + base.map(b -> " (new since " + b.id() + ")").orElse(""));
    } else {
      // the damage names the packs
      LOG.severe(() -> "DAMAGED BACKUP: " + describe(repository) + ", snapshot " + snapshot.id() + ": "
          + result.damage());
      Signal.DAMAGE_FOUND.emit(Map.of("organizationId", repository.organizationId(), "repositoryId", repository.id(),
          "snapshotId", snapshot.id()), String.valueOf(result.damage()));
      // at once, not when the whole verification ends: the repository row must stop naming this
      // snapshot intact before a backup with the same refs takes its verification from there
      recordSummary(repository.key(), clock.instant());
    }
    return verified;
  }

  /**
   * The repository row says which of its snapshots are damaged, newest first (null when none is),
   * and which is the newest known intact, for the next backup with the same refs to take its
   * verification from. Two verifications of one repository can run at once (a backup's and the
   * weekly one): one that read the snapshots before the other recorded damage would write a summary
   * without it over the other's. So after writing, the snapshots are read again, and the summary
   * written again while they tell otherwise: the last writer has read every snapshot recorded before
   * its last read, and whoever records one later writes the summary after it. Retention writes it
   * too, after forgetting snapshots, keeping {@code verifiedAt}.
   */
  void recordSummary(RepositoryKey key, Instant verifiedAt) {
    VerificationSummary summary = VerificationSummary.of(catalog.snapshots().list(key));
    for (int written = 1;; written++) {
      catalog.repositories().recordVerification(key, verifiedAt, summary.damage(), summary.newestIntact());
      VerificationSummary now = VerificationSummary.of(catalog.snapshots().list(key));
      if (now.equals(summary) || written == SUMMARY_WRITES) {
        return;
      }
      summary = now;
    }
  }

  /** What the repository row says of its snapshots' verifications. */
  private record VerificationSummary(String damage, IntactSnapshot newestIntact) {
    static VerificationSummary of(List<Snapshot> newestFirst) {
      List<Snapshot> damaged = newestFirst.stream().filter(s -> s.verifyError() != null).toList();
      return new VerificationSummary(damaged.isEmpty() ? null
          : damaged.size() + " damaged snapshot(s), newest " + damaged.get(0).id() + ": "
              + damaged.get(0).verifyError(),
          newestFirst.stream().filter(Snapshot::verifiedIntact).findFirst()
              .map(s -> new IntactSnapshot(s.id(), s.verifiedAt())).orElse(null));
    }
  }

  private static String describe(Repository repository) {
    return "organization " + repository.organizationId() + ", repository " + repository.id() + " ("
        + repository.project() + "/" + repository.name() + ")";
  }
}
