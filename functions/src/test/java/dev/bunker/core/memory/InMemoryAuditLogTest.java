package dev.bunker.core.memory;

import dev.bunker.core.AuditLogContract;
import dev.bunker.core.port.AuditLog;

class InMemoryAuditLogTest extends AuditLogContract {
  private final InMemoryAuditLog log = new InMemoryAuditLog();

  @Override
  protected AuditLog log() {
    return log;
  }
}
