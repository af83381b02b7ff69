package dev.bunker.core.memory;

import dev.bunker.core.AuditLog;
import dev.bunker.core.AuditLogContract;

class InMemoryAuditLogTest extends AuditLogContract {
  private final InMemoryAuditLog log = new InMemoryAuditLog();

  @Override
  protected AuditLog log() {
    return log;
  }
}
