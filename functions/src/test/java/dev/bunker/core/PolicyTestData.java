package dev.bunker.core;

import dev.bunker.core.model.Policy;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.PolicyInput.RetentionInput;
import dev.bunker.core.model.PolicyInput.ScheduleInput;
import java.util.List;

/**
 * Policies as a user writes them, naming only what a test cares about:
 * {@code aPolicy().everyHours(6).keepingLast(2).build()}. Every field left out stays absent, so
 * {@link Policy#from} gives it its default.
 */
public final class PolicyTestData {
  private PolicyTestData() {}

  public static Builder aPolicy() {
    return new Builder();
  }

  public static final class Builder {
    private ScheduleInput schedule;
    private Boolean autoAddNewRepositories;
    private PatternsInput include;
    private PatternsInput exclude;
    private Boolean includeWikis;
    private RetentionInput retention;
    private Integer concurrency;
    private Boolean includeMetadata;

    private Builder() {}

    /** Runs at these hours of the day in {@code timeZone}. */
    public Builder atHours(String timeZone, Integer... hours) {
      return schedule(new ScheduleInput(List.of(hours), null, timeZone));
    }

    /** Runs every {@code hours} hours (UTC). */
    public Builder everyHours(int hours) {
      return schedule(new ScheduleInput(null, hours, "UTC"));
    }

    public Builder schedule(ScheduleInput schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder autoAddingNewRepositories(boolean autoAdd) {
      this.autoAddNewRepositories = autoAdd;
      return this;
    }

    public Builder including(PatternsInput include) {
      this.include = include;
      return this;
    }

    public Builder excluding(PatternsInput exclude) {
      this.exclude = exclude;
      return this;
    }

    public Builder includingWikis(boolean wikis) {
      this.includeWikis = wikis;
      return this;
    }

    public Builder includingMetadata(Boolean metadata) {
      this.includeMetadata = metadata;
      return this;
    }

    /** Keeps only the newest {@code last} snapshots (every other rule off). */
    public Builder keepingLast(int last) {
      return retention(new RetentionInput(last, 0, 0, 0, 0));
    }

    public Builder retention(RetentionInput retention) {
      this.retention = retention;
      return this;
    }

    /** Backs up {@code concurrency} repositories at a time. */
    public Builder concurrency(Integer concurrency) {
      this.concurrency = concurrency;
      return this;
    }

    public PolicyInput build() {
      return new PolicyInput(schedule, autoAddNewRepositories, include, exclude, includeWikis, retention,
          concurrency, includeMetadata);
    }
  }
}
