package dev.bunker.functions;

import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.bunker.app.App;
import dev.bunker.core.model.WorkItem;
import dev.bunker.json.Json;
import dev.bunker.logging.LogContext;
import java.util.function.Consumer;

/**
 * The queue workers. The host decodes the base64 message; {@code DequeueCount} tells the domain
 * whether this is the last attempt. The poison triggers record work whose every delivery died
 * (the host killed it, say) as failed. Every line logged while a message is handled names the ids it
 * carries (organization, run, repository…): {@link LogContext}.
 */
public final class WorkersFunction {
  private static final String STORAGE = "AzureWebJobsStorage";

  private static <T extends Record & WorkItem> void handle(String message, Class<T> type, Consumer<T> worker) {
    T work = Json.readMessage(message, type);
    try (LogContext.Scope scope = LogContext.open(work)) {
      worker.accept(work);
    }
  }

  @FunctionName("discover")
  public void discover(
      @QueueTrigger(name = "message", queueName = WorkItem.Discover.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.Discover.class, work -> App.bunker().discovery().discover(work, dequeueCount));
  }

  @FunctionName("discoverPoison")
  public void discoverPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.Discover.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.Discover.class, work -> App.bunker().discovery().giveUp(work));
  }

  @FunctionName("backupRepository")
  public void backupRepository(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupRepository.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.BackupRepository.class, work -> App.bunker().backups().backup(work, dequeueCount));
  }

  @FunctionName("backupRepositoryPoison")
  public void backupRepositoryPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupRepository.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.BackupRepository.class, work -> App.bunker().backups().giveUp(work));
  }

  /** A notification whose every delivery died is dropped: its targets' last delivery says so. */
  @FunctionName("notify")
  public void notify(
      @QueueTrigger(name = "message", queueName = WorkItem.Notify.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.Notify.class, work -> App.bunker().notifications().deliver(work, dequeueCount));
  }

  @FunctionName("restore")
  public void restore(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreSnapshot.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.RestoreSnapshot.class, work -> App.bunker().restores().perform(work, dequeueCount));
  }

  @FunctionName("exportBundle")
  public void exportBundle(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportBundle.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.ExportBundle.class, work -> App.bunker().bundles().write(work, dequeueCount));
  }

  @FunctionName("exportBundlePoison")
  public void exportBundlePoison(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportBundle.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.ExportBundle.class, work -> App.bunker().bundles().giveUp(work));
  }

  @FunctionName("restorePoison")
  public void restorePoison(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreSnapshot.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.RestoreSnapshot.class, work -> App.bunker().restores().giveUp(work));
  }

  @FunctionName("backupMetadata")
  public void backupMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.BackupMetadata.class, work -> App.bunker().backups().backupMetadata(work, dequeueCount));
  }

  @FunctionName("backupMetadataPoison")
  public void backupMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupMetadata.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.BackupMetadata.class, work -> App.bunker().backups().giveUp(work));
  }

  @FunctionName("exportMetadata")
  public void exportMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.ExportMetadata.class,
        work -> App.bunker().metadataSnapshots().writeZip(work, dequeueCount));
  }

  @FunctionName("exportMetadataPoison")
  public void exportMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportMetadata.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.ExportMetadata.class, work -> App.bunker().metadataSnapshots().giveUpZip(work));
  }

  @FunctionName("restoreMetadata")
  public void restoreMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.RestoreMetadata.class,
        work -> App.bunker().metadataRestores().perform(work, dequeueCount));
  }

  @FunctionName("restoreMetadataPoison")
  public void restoreMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreMetadata.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.RestoreMetadata.class, work -> App.bunker().metadataRestores().giveUp(work));
  }

  @FunctionName("verifySnapshots")
  public void verifySnapshots(
      @QueueTrigger(name = "message", queueName = WorkItem.VerifySnapshots.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    handle(message, WorkItem.VerifySnapshots.class, work -> App.bunker().verifications().verify(work, dequeueCount));
  }

  @FunctionName("verifySnapshotsPoison")
  public void verifySnapshotsPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.VerifySnapshots.QUEUE + "-poison",
          connection = STORAGE) String message) {
    handle(message, WorkItem.VerifySnapshots.class, work -> App.bunker().verifications().giveUp(work));
  }
}
