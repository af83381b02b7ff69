package dev.bunker.devhost;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;

/**
 * A timer trigger schedule in the Functions' NCRONTAB form: six fields, seconds first
 * ({@code {second} {minute} {hour} {day} {month} {day-of-week}}), Sunday = 0, evaluated in UTC.
 */
final class NcrontabSchedule {
  private static final CronDefinition NCRONTAB = CronDefinitionBuilder.defineCron()
      .withSeconds().and()
      .withMinutes().and()
      .withHours().and()
      .withDayOfMonth().and()
      .withMonth().and()
      .withDayOfWeek().withValidRange(0, 6).withMondayDoWValue(1).and()
      .instance();
  private static final CronParser PARSER = new CronParser(NCRONTAB);

  private final String expression;
  private final ExecutionTime executionTime;

  private NcrontabSchedule(String expression, ExecutionTime executionTime) {
    this.expression = expression;
    this.executionTime = executionTime;
  }

  static NcrontabSchedule parse(String expression) {
    String trimmed = expression.trim();
    if (trimmed.split("\\s+").length != 6) {
      throw new HostConfigurationException("schedule '" + expression
          + "' is not a six-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week})");
    }
    try {
      Cron cron = PARSER.parse(trimmed);
      return new NcrontabSchedule(trimmed, ExecutionTime.forCron(cron));
    } catch (IllegalArgumentException e) {
      throw new HostConfigurationException("schedule '" + expression + "' is not valid NCRONTAB: " + e.getMessage());
    }
  }

  /** The first occurrence strictly after {@code time}. */
  ZonedDateTime next(ZonedDateTime time) {
    return executionTime.nextExecution(time).orElseThrow(
        () -> new IllegalStateException("schedule '" + expression + "' has no next occurrence after " + time));
  }

  @Override
  public String toString() {
    return expression;
  }
}
