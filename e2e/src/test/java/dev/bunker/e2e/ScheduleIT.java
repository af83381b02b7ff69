package dev.bunker.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bunker.sandbox.Organization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scheduled runs, driven by setting the app's clock ({@code BUNKER_LOCAL_CLOCK_FILE}) and firing the
 * scheduler timer through devhost's admin endpoint, instead of waiting. The clock is set to a day in
 * the past, where no other test's organization has a due slot; each test deletes its organization
 * before the clock goes back to the present, so its slots never come due again.
 */
@ExtendWith(Stack.Extension.class)
@Order(1)
class ScheduleIT {
  private static final Pattern TICK = Pattern.compile("Executed 'Functions\\.scheduler'");

  private final Stack stack;

  ScheduleIT(Stack stack) {
    this.stack = stack;
  }

  @AfterEach
  void backToThePresent() {
    stack.setClock(null);
  }

  @Test
  void everyHoursFiresOncePerSlotAndAMissedSlotOnce() throws Exception {
    String id = register("schedule-every", Instant.parse("2024-06-03T04:30:00Z"),
        Map.of("everyHours", 6));
    assertThat(nextSlot(id)).isEqualTo("2024-06-03T06:00:00Z");

    stack.setClock(Instant.parse("2024-06-03T05:59:00Z"));
    tick(1);
    assertThat(scheduledRuns(id)).isEmpty();

    stack.setClock(Instant.parse("2024-06-03T06:00:30Z"));
    tick(2); // two timer invocations at once: one run for the slot
    assertThat(awaitScheduledRuns(id, 1)).extracting(run -> run.get("slot").asText())
        .containsExactly("2024-06-03T06:00:00Z");

    // 12:00 and 18:00 pass while the app is down: the late tick starts one run, for 12:00
    stack.setClock(Instant.parse("2024-06-03T19:10:00Z"));
    tick(1);
    assertThat(awaitScheduledRuns(id, 2)).extracting(run -> run.get("slot").asText())
        .containsExactly("2024-06-03T12:00:00Z", "2024-06-03T06:00:00Z");
    assertThat(nextSlot(id)).isEqualTo("2024-06-04T00:00:00Z");
    assertThat(Api.expect(200, stack.api.get("/api/organizations/" + id + "/backups")))
        .allMatch(run -> run.get("status").asText().equals("succeeded"));
    Api.expect(204, stack.api.delete("/api/organizations/" + id));
  }

  @Test
  void hoursOfTheDayInATimeZoneFireOncePerSlot() throws Exception {
    // 03:00 and 15:00 in Oslo are 01:00 and 13:00 UTC in June (CEST)
    String id = register("schedule-hours", Instant.parse("2024-06-03T00:30:00Z"),
        Map.of("hours", List.of(3, 15), "timeZone", "Europe/Oslo"));
    assertThat(nextSlot(id)).isEqualTo("2024-06-03T01:00:00Z");

    stack.setClock(Instant.parse("2024-06-03T01:00:05Z"));
    tick(2);
    assertThat(awaitScheduledRuns(id, 1)).extracting(run -> run.get("slot").asText())
        .containsExactly("2024-06-03T01:00:00Z");

    stack.setClock(Instant.parse("2024-06-03T12:59:00Z"));
    tick(1);
    assertThat(scheduledRuns(id)).hasSize(1);

    stack.setClock(Instant.parse("2024-06-03T13:00:01Z"));
    tick(2);
    assertThat(awaitScheduledRuns(id, 2)).extracting(run -> run.get("slot").asText())
        .containsExactly("2024-06-03T13:00:00Z", "2024-06-03T01:00:00Z");
    assertThat(nextSlot(id)).isEqualTo("2024-06-04T01:00:00Z");
    Api.expect(204, stack.api.delete("/api/organizations/" + id));
  }

  /** Registers a new sandbox organization with one repository and {@code schedule}, at {@code now}. */
  private String register(String name, Instant now, Map<String, Object> schedule) {
    Organization source = stack.sandbox.organization(name);
    source.project("Ops").repository("runbooks").withCommits(2);
    stack.setClock(now);
    return stack.api.registerWithPat(source.url().toString(), stack.newPat(), Map.of("schedule", schedule))
        .get("id").asText();
  }

  private String nextSlot(String id) {
    return Api.expect(200, stack.api.get("/api/organizations/" + id)).get("nextSlot").asText();
  }

  /** Fires the scheduler timer {@code times} at once and waits until devhost has finished them all. */
  private void tick(int times) throws Exception {
    int before = ticks();
    for (int i = 0; i < times; i++) {
      stack.devhost.runTimer("scheduler");
    }
    Waiting.until(times + " scheduler tick(s)", Duration.ofSeconds(30), this::ticks, n -> n >= before + times);
  }

  private int ticks() {
    Matcher matcher = TICK.matcher(stack.devhost.log());
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }

  private List<JsonNode> scheduledRuns(String id) {
    List<JsonNode> runs = new ArrayList<>();
    Api.expect(200, stack.api.get("/api/organizations/" + id + "/backups")).forEach(run -> {
      if (run.get("trigger").asText().equals("schedule")) {
        runs.add(run);
      }
    });
    return runs;
  }

  /** Waits for {@code count} scheduled runs, all finished; newest first. */
  private List<JsonNode> awaitScheduledRuns(String id, int count) {
    return Waiting.until(count + " finished scheduled run(s)", Duration.ofSeconds(60), () -> scheduledRuns(id),
        runs -> runs.size() >= count && runs.stream().allMatch(run -> !run.get("status").asText().equals("queued")
            && !run.get("status").asText().equals("running")));
  }
}
