package dev.bunker.core.memory;

import dev.bunker.core.notify.Delivery;
import dev.bunker.core.notify.NotificationRecords;
import dev.bunker.core.notify.NotificationTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Notification targets and claimed events in memory, as the table keeps them. */
public final class InMemoryNotificationRecords implements NotificationRecords {
  private final Map<String, NotificationTarget> targets = new LinkedHashMap<>();
  private final Set<String> claimed = new HashSet<>();

  @Override
  public synchronized List<NotificationTarget> targets(String organizationId) {
    return targets.values().stream().filter(target -> target.organizationId().equals(organizationId))
        .sorted(Comparator.comparing(NotificationTarget::createdAt).thenComparing(NotificationTarget::id)).toList();
  }

  @Override
  public synchronized void save(NotificationTarget target) {
    targets.put(key(target.organizationId(), target.id()), target);
  }

  @Override
  public synchronized void delete(String organizationId, String targetId) {
    targets.remove(key(organizationId, targetId));
  }

  @Override
  public synchronized void recordDelivery(String organizationId, String targetId, Delivery delivery) {
    targets.computeIfPresent(key(organizationId, targetId), (key, t) -> new NotificationTarget(t.organizationId(),
        t.id(), t.kind(), t.host(), t.maskedUrl(), t.onFailure(), t.onSuccess(), t.dailySummary(), t.createdAt(),
        delivery));
  }

  @Override
  public synchronized boolean claimEvent(String organizationId, String eventKey) {
    return claimed.add(key(organizationId, eventKey));
  }

  /** Every record, for scans. */
  public synchronized List<NotificationTarget> all() {
    return new ArrayList<>(targets.values());
  }

  private static String key(String organizationId, String id) {
    return organizationId + "/" + id;
  }
}
