package dev.bunker.core.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link NotificationRecords} does: the in-memory twin and the Azure Tables one. */
public abstract class NotificationRecordsContract {
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  protected abstract NotificationRecords records();

  private static NotificationTarget target(String organizationId, String id, Instant createdAt, Delivery delivery) {
    return new NotificationTarget(organizationId, id, NotificationKind.GENERIC, "hooks.example.com",
        "https://hooks.example.com/…", true, false, true, createdAt, delivery);
  }

  private static Delivery delivered(String key) {
    return new Delivery(key, NotificationEvent.RUN_FAILED, Delivery.Status.DELIVERED, 1, T0, null);
  }

  @Test
  void targetsAreReadBackPerOrganizationOldestFirst() {
    NotificationRecords records = records();
    records.save(target("org1", "b", T0.plusSeconds(1), null));
    records.save(target("org1", "a", T0, delivered("run-1")));
    records.save(target("org2", "c", T0, null));

    assertThat(records.targets("org1")).containsExactly(target("org1", "a", T0, delivered("run-1")),
        target("org1", "b", T0.plusSeconds(1), null));
    assertThat(records.targets("unknown")).isEmpty();
  }

  @Test
  void aSavedTargetIsReplacedWholeAndADeliveryNeverBringsBackARemovedOne() {
    NotificationRecords records = records();
    records.save(target("org1", "a", T0, null));
    records.recordDelivery("org1", "a", delivered("run-1"));
    assertThat(records.targets("org1")).extracting(NotificationTarget::lastDelivery)
        .containsExactly(delivered("run-1"));

    records.save(target("org1", "a", T0, null));
    assertThat(records.targets("org1")).extracting(NotificationTarget::lastDelivery).containsOnlyNulls();

    records.delete("org1", "a");
    records.recordDelivery("org1", "a", delivered("run-2"));
    assertThat(records.targets("org1")).isEmpty();
    records.delete("org1", "a");
  }

  @Test
  void anEventIsClaimedOncePerOrganization() {
    NotificationRecords records = records();
    assertThat(records.claimEvent("org1", "run-1")).isTrue();
    assertThat(records.claimEvent("org1", "run-1")).isFalse();
    assertThat(records.claimEvent("org2", "run-1")).isTrue();
    assertThat(records.claimEvent("org1", "summary-2026-05-01")).isTrue();
  }
}
