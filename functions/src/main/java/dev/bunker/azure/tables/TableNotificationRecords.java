package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.models.TableServiceException;
import dev.bunker.core.notify.Delivery;
import dev.bunker.core.notify.NotificationKind;
import dev.bunker.core.notify.NotificationRecords;
import dev.bunker.core.notify.NotificationTarget;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Tables {@code notifications} (partition: organization id, row: target id; the host and a masked
 * form of the webhook URL, never the URL, which is in the secret store) and {@code
 * notificationevents} (partition: organization id, row: event key; inserting is the claim, so two
 * workers seeing one run end cannot both announce it).
 */
public final class TableNotificationRecords implements NotificationRecords {
  static final String TARGETS_TABLE = "notifications";
  static final String EVENTS_TABLE = "notificationevents";
  private static final Column<NotificationKind> KIND = Column.enumOf("kind", NotificationKind.class);
  private static final Column<String> HOST = Column.string("host");
  private static final Column<String> MASKED_URL = Column.string("maskedUrl");
  private static final Column<Boolean> ON_FAILURE = Column.bool("onFailure");
  private static final Column<Boolean> ON_SUCCESS = Column.bool("onSuccess");
  private static final Column<Boolean> DAILY_SUMMARY = Column.bool("dailySummary");
  private static final Column<Instant> CREATED_AT = Column.instant("createdAt");
  private static final Column<Delivery> LAST_DELIVERY = Column.json("lastDelivery", Delivery.class);

  /** One claimed event. */
  private record Claim(String organizationId, String eventKey) {}

  private final TableRows<NotificationTarget> targets;
  private final TableRows<Claim> events;

  private TableNotificationRecords(TableRows<NotificationTarget> targets, TableRows<Claim> events) {
    this.targets = targets;
    this.events = events;
  }

  /** The records over {@code service}, creating the tables when missing; {@code prefix} keeps tests apart. */
  public static TableNotificationRecords create(TableServiceClient service, String prefix) {
    return new TableNotificationRecords(
        new TableRows<>(TableRows.open(service, prefix + TARGETS_TABLE), "notification target",
            TableNotificationRecords::row, TableNotificationRecords::target),
        new TableRows<>(TableRows.open(service, prefix + EVENTS_TABLE), "notification event",
            claim -> Row.at(claim.organizationId(), claim.eventKey()),
            row -> new Claim(row.partitionKey(), row.rowKey())));
  }

  @Override
  public List<NotificationTarget> targets(String organizationId) {
    return targets.partition(organizationId).stream()
        .sorted(Comparator.comparing(NotificationTarget::createdAt).thenComparing(NotificationTarget::id)).toList();
  }

  @Override
  public void save(NotificationTarget target) {
    // replaced whole: a new URL starts without the old URL's last delivery
    if (!targets.insertIfAbsent(target)) {
      targets.replace(target);
    }
  }

  @Override
  public void delete(String organizationId, String targetId) {
    targets.delete(organizationId, targetId);
  }

  @Override
  public void recordDelivery(String organizationId, String targetId, Delivery delivery) {
    try {
      // a merge of one column, only into a row that exists: a removed target stays removed
      targets.merge(Row.at(organizationId, targetId).with(LAST_DELIVERY, delivery));
    } catch (TableServiceException e) {
      if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public boolean claimEvent(String organizationId, String eventKey) {
    return events.insertIfAbsent(new Claim(organizationId, eventKey));
  }

  private static Row row(NotificationTarget target) {
    return Row.at(target.organizationId(), target.id())
        .with(KIND, target.kind())
        .with(HOST, target.host())
        .with(MASKED_URL, target.maskedUrl())
        .with(ON_FAILURE, target.onFailure())
        .with(ON_SUCCESS, target.onSuccess())
        .with(DAILY_SUMMARY, target.dailySummary())
        .with(CREATED_AT, target.createdAt())
        .with(LAST_DELIVERY, target.lastDelivery());
  }

  private static NotificationTarget target(Row row) {
    return new NotificationTarget(row.partitionKey(), row.rowKey(), row.get(KIND), row.get(HOST), row.get(MASKED_URL),
        row.get(ON_FAILURE, false), row.get(ON_SUCCESS, false), row.get(DAILY_SUMMARY, false), row.get(CREATED_AT),
        row.get(LAST_DELIVERY));
  }
}
