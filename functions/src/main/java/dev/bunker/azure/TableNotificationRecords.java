package dev.bunker.azure;

import static dev.bunker.azure.Tables.enumOf;
import static dev.bunker.azure.Tables.instant;
import static dev.bunker.azure.Tables.put;
import static dev.bunker.azure.Tables.stored;
import static dev.bunker.azure.Tables.string;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import dev.bunker.core.notify.Delivery;
import dev.bunker.core.notify.NotificationKind;
import dev.bunker.core.notify.NotificationRecords;
import dev.bunker.core.notify.NotificationTarget;
import dev.bunker.json.Json;
import java.util.Comparator;
import java.util.List;

/**
 * Notification targets in the table {@code notifications} (partition: organization id, row: target
 * id; never the webhook URL, which is in the secret store) and the claimed events in
 * {@code notificationevents} (partition: organization id, row: event key; inserting is the claim).
 */
public final class TableNotificationRecords implements NotificationRecords {
  private final TableClient targets;
  private final TableClient events;

  private TableNotificationRecords(TableClient targets, TableClient events) {
    this.targets = targets;
    this.events = events;
  }

  /** The records over {@code service}, creating the tables when missing; {@code prefix} keeps tests apart. */
  public static TableNotificationRecords create(TableServiceClient service, String prefix) {
    return new TableNotificationRecords(table(service, prefix + "notifications"),
        table(service, prefix + "notificationevents"));
  }

  private static TableClient table(TableServiceClient service, String name) {
    service.createTableIfNotExists(name);
    return service.getTableClient(name);
  }

  @Override
  public List<NotificationTarget> targets(String organizationId) {
    if (!Tables.isSafeKey(organizationId)) {
      return List.of();
    }
    return Tables.partition(targets, organizationId, null).stream().map(TableNotificationRecords::target)
        .sorted(Comparator.comparing(NotificationTarget::createdAt).thenComparing(NotificationTarget::id)).toList();
  }

  @Override
  public void save(NotificationTarget target) {
    TableEntity entity = new TableEntity(target.organizationId(), target.id());
    put(entity, "Kind", target.kind());
    put(entity, "Host", target.host());
    put(entity, "MaskedUrl", target.maskedUrl());
    put(entity, "OnFailure", target.onFailure());
    put(entity, "OnSuccess", target.onSuccess());
    put(entity, "DailySummary", target.dailySummary());
    put(entity, "CreatedAt", target.createdAt());
    put(entity, "LastDelivery", target.lastDelivery() == null ? null : Json.write(target.lastDelivery()));
    targets.upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null);
  }

  @Override
  public void delete(String organizationId, String targetId) {
    Tables.deleteIfPresent(targets, organizationId, targetId);
  }

  @Override
  public void recordDelivery(String organizationId, String targetId, Delivery delivery) {
    TableEntity entity = put(new TableEntity(organizationId, targetId), "LastDelivery", Json.write(delivery));
    try {
      // a merge of one column, only into a row that exists (ETag *): a removed target stays removed
      targets.updateEntityWithResponse(entity, TableEntityUpdateMode.MERGE, false, null, null);
    } catch (TableServiceException e) {
      if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public boolean claimEvent(String organizationId, String eventKey) {
    return Tables.createIfAbsent(events, new TableEntity(organizationId, eventKey));
  }

  private static NotificationTarget target(TableEntity entity) {
    String lastDelivery = string(entity, "LastDelivery");
    return new NotificationTarget(entity.getPartitionKey(), entity.getRowKey(),
        enumOf(entity, "Kind", NotificationKind.class), string(entity, "Host"), string(entity, "MaskedUrl"),
        Boolean.TRUE.equals(entity.getProperty("OnFailure")), Boolean.TRUE.equals(entity.getProperty("OnSuccess")),
        Boolean.TRUE.equals(entity.getProperty("DailySummary")), instant(entity, "CreatedAt"),
        lastDelivery == null ? null : stored(entity, "LastDelivery", Delivery.class));
  }
}
