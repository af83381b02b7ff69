package dev.bunker.azure.tables;

import com.azure.data.tables.TableServiceClientBuilder;
import dev.bunker.azurite.Azurite;
import dev.bunker.core.AuditLogContract;
import dev.bunker.core.port.AuditLog;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/** The audit trail's Azure table against Azurite. */
class AuditTableTest extends AuditLogContract {
  private AuditLog log;

  @BeforeEach
  void createTable() {
    var service = new TableServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient();
    log = AuditTable.create(service, "audit" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  @Override
  protected AuditLog log() {
    return log;
  }
}
