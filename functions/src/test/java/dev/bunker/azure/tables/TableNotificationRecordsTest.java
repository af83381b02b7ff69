package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.notify.NotificationRecords;
import dev.bunker.core.notify.NotificationRecordsContract;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The notification tables against Azurite. */
class TableNotificationRecordsTest extends NotificationRecordsContract {
  private NotificationRecords records;

  @BeforeEach
  void createTables() {
    var service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
    records =
        TableNotificationRecords.create(service, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10));
  }

  @Override
  protected NotificationRecords records() {
    return records;
  }
}
