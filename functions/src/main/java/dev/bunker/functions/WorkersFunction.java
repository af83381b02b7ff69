package dev.bunker.functions;

import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import dev.bunker.app.App;
import dev.bunker.core.model.WorkItem;
import dev.bunker.json.Json;

/**
 * The queue workers. The host decodes the base64 message; {@code DequeueCount} tells the domain
 * whether this is the last attempt. The poison triggers record work whose every delivery died
 * (the host killed it, say) as failed.
 */
public final class WorkersFunction {
  private static final String STORAGE = "AzureWebJobsStorage";

  @FunctionName("discover")
  public void discover(
      @QueueTrigger(name = "message", queueName = WorkItem.Discover.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().discovery().discover(Json.read(message, WorkItem.Discover.class), dequeueCount);
  }

  @FunctionName("discoverPoison")
  public void discoverPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.Discover.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().discovery().giveUp(Json.read(message, WorkItem.Discover.class));
  }

  @FunctionName("backupRepository")
  public void backupRepository(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupRepository.QUEUE, connection = STORAGE)
          String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().backups().backup(Json.read(message, WorkItem.BackupRepository.class), dequeueCount);
  }

  @FunctionName("backupRepositoryPoison")
  public void backupRepositoryPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupRepository.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().backups().giveUp(Json.read(message, WorkItem.BackupRepository.class));
  }

  @FunctionName("restore")
  public void restore(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreSnapshot.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().restores().perform(Json.read(message, WorkItem.RestoreSnapshot.class), dequeueCount);
  }

  @FunctionName("exportBundle")
  public void exportBundle(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportBundle.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().bundles().write(Json.read(message, WorkItem.ExportBundle.class), dequeueCount);
  }

  @FunctionName("exportBundlePoison")
  public void exportBundlePoison(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportBundle.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().bundles().giveUp(Json.read(message, WorkItem.ExportBundle.class));
  }

  @FunctionName("restorePoison")
  public void restorePoison(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreSnapshot.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().restores().giveUp(Json.read(message, WorkItem.RestoreSnapshot.class));
  }

  @FunctionName("backupMetadata")
  public void backupMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().backups().backupMetadata(Json.read(message, WorkItem.BackupMetadata.class), dequeueCount);
  }

  @FunctionName("backupMetadataPoison")
  public void backupMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.BackupMetadata.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().backups().giveUp(Json.read(message, WorkItem.BackupMetadata.class));
  }

  @FunctionName("exportMetadata")
  public void exportMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().metadataSnapshots().writeZip(Json.read(message, WorkItem.ExportMetadata.class), dequeueCount);
  }

  @FunctionName("exportMetadataPoison")
  public void exportMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.ExportMetadata.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().metadataSnapshots().giveUpZip(Json.read(message, WorkItem.ExportMetadata.class));
  }

  @FunctionName("restoreMetadata")
  public void restoreMetadata(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreMetadata.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().metadataRestores().perform(Json.read(message, WorkItem.RestoreMetadata.class), dequeueCount);
  }

  @FunctionName("restoreMetadataPoison")
  public void restoreMetadataPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.RestoreMetadata.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().metadataRestores().giveUp(Json.read(message, WorkItem.RestoreMetadata.class));
  }

  @FunctionName("verifySnapshots")
  public void verifySnapshots(
      @QueueTrigger(name = "message", queueName = WorkItem.VerifySnapshots.QUEUE, connection = STORAGE) String message,
      @BindingName("DequeueCount") long dequeueCount) {
    App.bunker().verifications().verify(Json.read(message, WorkItem.VerifySnapshots.class), dequeueCount);
  }

  @FunctionName("verifySnapshotsPoison")
  public void verifySnapshotsPoison(
      @QueueTrigger(name = "message", queueName = WorkItem.VerifySnapshots.QUEUE + "-poison", connection = STORAGE)
          String message) {
    App.bunker().verifications().giveUp(Json.read(message, WorkItem.VerifySnapshots.class));
  }
}
