package dev.bunker.core.notify;

import dev.bunker.core.memory.InMemoryNotificationRecords;

class InMemoryNotificationRecordsTest extends NotificationRecordsContract {
  private final InMemoryNotificationRecords records = new InMemoryNotificationRecords();

  @Override
  protected NotificationRecords records() {
    return records;
  }
}
