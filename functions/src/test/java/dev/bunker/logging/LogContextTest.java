package dev.bunker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bunker.testing.LogCapture;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogContextTest {
  record BackupRepository(String organizationId, String runId, String repositoryId, String note) {}

  private LogCapture log;

  @BeforeEach
  void install() {
    ProcessLogging.install();
    log = LogCapture.start();
  }

  @AfterEach
  void remove() {
    log.close();
  }

  @Test
  void aLibraryLoggingThroughSlf4jOnAScopedThreadLogsTheWorkItemsIds() {
    try (LogContext.Scope scope = LogContext.open(new BackupRepository("org-1", "run-1", "repo-1", "not an id"))) {
      LoggerFactory.getLogger("org.eclipse.jgit.transport.TransportHttp").warn("following HTTP redirect");
    }
    assertThat(log.lines()).anySatisfy(line -> assertThat(line)
        .contains("[organizationId=org-1 runId=run-1 repositoryId=repo-1] following HTTP redirect"));
  }

  @Test
  void outsideAScopeLinesAreLeftAsTheyAreAndTheScopeEndsWithItsMessage() {
    try (LogContext.Scope scope = LogContext.open(new BackupRepository("org-1", "run-1", null, null))) {
      Logger.getLogger("dev.bunker.core").warning("inside");
    }
    Logger.getLogger("dev.bunker.core").warning("after");
    assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("[organizationId=org-1 runId=run-1] inside"));
    assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains("WARNING: after"));
    assertThat(LogContext.current()).isEmpty();
  }

  @Test
  void theWorkerConsoleWritesOneLinePerRecordWithItsStackTraceFolded() {
    LogRecord record = new LogRecord(java.util.logging.Level.WARNING, "fetch failed");
    record.setLoggerName("org.eclipse.jgit");
    record.setThrown(new IllegalStateException("connection reset"));
    assertThat(WorkerConsole.line(record, record.getMessage()))
        .startsWith("WARNING org.eclipse.jgit: fetch failed | java.lang.IllegalStateException: connection reset | at ")
        .doesNotContain("\n");
  }
}
