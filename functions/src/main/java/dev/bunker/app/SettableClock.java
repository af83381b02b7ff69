package dev.bunker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * The app's clock when {@link Setting#LOCAL_CLOCK_FILE} is set: now is the instant written in that
 * file plus the time elapsed since the file was last written, so time keeps flowing from wherever
 * it was set; while the file is missing, the system clock. It exists only so that end-to-end tests
 * under devhost can walk the scheduler through days of slots without waiting (set the time, then
 * fire the timer with devhost's {@code POST /admin/functions/scheduler}). Production never reads
 * it: the setting is local-only ({@code main.bicep} must not set it) and refused in Azure.
 */
final class SettableClock extends Clock {
  /** App settings that App Service sets in every Azure-hosted function app. */
  private static final Set<String> AZURE_MARKERS = Set.of("WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME");

  private final Path file;
  private final Clock system;

  private SettableClock(Path file, Clock system) {
    this.file = file;
    this.system = system;
  }

  /** The system clock, or a settable one when {@link Setting#LOCAL_CLOCK_FILE} is set outside Azure. */
  static Clock from(Map<String, String> settings) {
    var file = Setting.LOCAL_CLOCK_FILE.from(settings);
    if (file.isEmpty()) {
      return Clock.systemUTC();
    }
    for (String marker : AZURE_MARKERS) {
      if (settings.containsKey(marker)) {
        throw new IllegalStateException(
            Setting.LOCAL_CLOCK_FILE.key() + " is for local tests only and is refused in Azure ("
                + marker + " is set)");
      }
    }
    return new SettableClock(Path.of(file.get()), Clock.systemUTC());
  }

  @Override
  public Instant instant() {
    Instant now = system.instant();
    String text;
    Instant written;
    try {
      written = Files.getLastModifiedTime(file).toInstant();
      text = Files.readString(file).strip();
    } catch (NoSuchFileException e) {
      return now;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clock file " + file, e);
    }
    if (text.isEmpty()) {
      return now;
    }
    try {
      return Instant.parse(text).plus(Duration.between(written, now).isNegative() ? Duration.ZERO
          : Duration.between(written, now));
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("the clock file " + file + " must hold an ISO-8601 instant such as "
          + "2024-06-03T06:00:30Z, not '" + text + "'", e);
    }
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (zone.equals(ZoneOffset.UTC)) {
      return this;
    }
    throw new UnsupportedOperationException("Bunker's clock is UTC");
  }
}
