package dev.bunker.core.audit;

import dev.bunker.core.model.AuditAction;
import dev.bunker.core.model.AuditEntry;
import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.RandomIds;
import dev.bunker.core.model.ValidationException;
import dev.bunker.core.port.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who did what, when and from where: one {@link AuditEntry} per admin call that changes something,
 * refused ones included; read newest first in pages; kept at least a year. Entries cannot be changed
 * or deleted through the API: it only appends and reads, and retention deletes only entries older
 * than the retention (at least {@value #MIN_RETENTION_DAYS} days, so a leap year's entries too).
 */
public final class AuditTrail {
  /** A year, leap years included. */
  public static final int MIN_RETENTION_DAYS = 366;
  public static final int DEFAULT_RETENTION_DAYS = 400;
  public static final int DEFAULT_TOP = 50;
  public static final int MAX_TOP = 500;
  private static final Pattern CONTINUATION = Pattern.compile("\\d{19}-[0-9a-f]{1,64}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final int ENTRY_ID_LENGTH = 16;

  /** A page of the trail; {@code continuation} asks for the next one, null on the last page. */
  public record Page(List<AuditEntry> entries, String continuation) {}

  private final AuditLog log;
  private final Clock clock;
  private final RandomIds ids;
  private final Duration retention;

  /** @throws IllegalArgumentException when {@code retentionDays} is under {@value #MIN_RETENTION_DAYS} */
  public AuditTrail(AuditLog log, Clock clock, RandomIds ids, int retentionDays) {
    if (retentionDays < MIN_RETENTION_DAYS) {
      throw new IllegalArgumentException("audit entries are kept at least " + MIN_RETENTION_DAYS
          + " days (a year, leap years included), not " + retentionDays);
    }
    this.log = log;
    this.clock = clock;
    this.ids = ids;
    this.retention = Duration.ofDays(retentionDays);
  }

  /** Records one call, now; {@code targets} hold ids only. */
  public AuditEntry record(AuditEntry.Actor actor, String clientIp, AuditAction action, Map<String, String> targets,
      int status, String problem) {
    // milliseconds: what the sort key orders by
    AuditEntry entry =
        new AuditEntry(ids.hex(ENTRY_ID_LENGTH), clock.instant().truncatedTo(ChronoUnit.MILLIS), actor, action,
            targets.get("organizationId"), targets, AuditEntry.Outcome.of(status), status, problem, clientIp);
    log.append(entry);
    return entry;
  }

  /**
   * One page of the trail, newest first. Parameters as the API takes them (null when absent):
   * {@code since} an ISO-8601 time or date (UTC), {@code top} 1 to {@value #MAX_TOP} (default
   * {@value #DEFAULT_TOP}), {@code organizationId}, and the {@code continuation} a page gave.
   */
  public Page list(String since, String top, String organizationId, String continuation) {
    List<FieldError> errors = new ArrayList<>();
    Instant from = since(since, errors);
    int count = top(top, errors);
    String organization = blank(organizationId) ? null : organizationId.strip();
    if (organization != null && !ID.matcher(organization).matches()) {
      errors.add(new FieldError("organizationId", "must be an organization id"));
    }
    String after = blank(continuation) ? null : continuation.strip();
    if (after != null && !CONTINUATION.matcher(after).matches()) {
      errors.add(new FieldError("continuation", "must be the continuation a page of the audit trail gave"));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    // one more than asked tells whether another page follows
    List<AuditEntry> entries = log.newest(from, organization, after, count + 1);
    if (entries.size() <= count) {
      return new Page(entries, null);
    }
    List<AuditEntry> page = entries.subList(0, count);
    return new Page(List.copyOf(page), page.get(count - 1).sortKey());
  }

  /** Deletes the entries older than the retention; how many. Run daily. */
  public int applyRetention() {
    return log.deleteOlderThan(clock.instant().minus(retention));
  }

  private static Instant since(String text, List<FieldError> errors) {
    if (blank(text)) {
      return Instant.EPOCH;
    }
    try {
      return Instant.parse(text.strip()).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        errors.add(new FieldError("since", "must be an ISO-8601 time such as 2024-05-01T00:00:00Z, or a date"));
        return null;
      }
    }
  }

  private static int top(String text, List<FieldError> errors) {
    if (blank(text)) {
      return DEFAULT_TOP;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value >= 1 && value <= MAX_TOP) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    errors.add(new FieldError("top", "must be a whole number between 1 and " + MAX_TOP));
    return DEFAULT_TOP;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
