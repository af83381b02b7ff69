package dev.bunker.core.notify;

import java.util.List;

/** The {@code notifications} table: targets per organization, and which events were claimed for sending. */
public interface NotificationRecords {
  /** The organization's targets, oldest first. */
  List<NotificationTarget> targets(String organizationId);

  /** Creates or replaces a target (its {@code lastDelivery} included). */
  void save(NotificationTarget target);

  /** Removes a target; removing a missing one is not an error. */
  void delete(String organizationId, String targetId);

  /** Sets the target's last delivery, only if the target still exists (a delivery never brings back a removed target). */
  void recordDelivery(String organizationId, String targetId, Delivery delivery);

  /**
   * Claims the sending of {@code eventKey} for the organization: an atomic, conditional insert. True
   * for exactly one of the callers racing for one key, so a run's end is announced once.
   */
  boolean claimEvent(String organizationId, String eventKey);
}
