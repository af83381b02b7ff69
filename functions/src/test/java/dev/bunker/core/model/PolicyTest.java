package dev.bunker.core.model;

import static dev.bunker.core.PolicyTestData.aPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.model.PolicyInput.PatternsInput;
import dev.bunker.core.model.PolicyInput.RetentionInput;
import dev.bunker.core.model.PolicyInput.ScheduleInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {
  private static PolicyInput schedule(ScheduleInput schedule) {
    return aPolicy().schedule(schedule).build();
  }

  private static PolicyInput retention(RetentionInput retention) {
    return aPolicy().retention(retention).build();
  }

  private static List<FieldError> errorsOf(PolicyInput input) {
    try {
      Policy.from(input);
    } catch (ValidationException e) {
      return e.errors();
    }
    throw new AssertionError("policy was accepted: " + input);
  }

  @Test
  void missingFieldsTakeTheDocumentedDefaults() {
    Policy policy = Policy.from(aPolicy().build());
    assertThat(policy).isEqualTo(Policy.defaults());
    assertThat(policy.schedule()).isEqualTo(new Schedule(List.of(1), null, "UTC"));
    assertThat(policy.retention()).isEqualTo(new Retention(7, 30, 12, 12, 3));
    assertThat(policy.concurrency()).isEqualTo(4);
    assertThat(policy.autoAddNewRepositories()).isTrue();
    assertThat(policy.includeWikis()).isTrue();
    assertThat(policy.includeMetadata()).isTrue();
    assertThat(policy.include()).isEqualTo(Patterns.ALL);
    assertThat(policy.exclude()).isEqualTo(Patterns.NONE);
  }

  @Test
  void hoursOutsideTheDayAreRejectedByIndex() {
    assertThat(errorsOf(schedule(new ScheduleInput(List.of(1, 24, -1), null, null))))
        .containsExactly(
            new FieldError("schedule.hours[1]", "must be an hour of the day between 0 and 23"),
            new FieldError("schedule.hours[2]", "must be an hour of the day between 0 and 23"));
  }

  @Test
  void aNullHourIsRejected() {
    assertThat(errorsOf(schedule(new ScheduleInput(Arrays.asList(1, null), null, null))))
        .extracting(FieldError::field).containsExactly("schedule.hours[1]");
  }

  @Test
  void noHoursIsRejected() {
    assertThat(errorsOf(schedule(new ScheduleInput(List.of(), null, null))))
        .extracting(FieldError::field).containsExactly("schedule.hours");
  }

  @Test
  void repeatedHoursAreMergedAndSorted() {
    Policy policy = Policy.from(schedule(new ScheduleInput(List.of(13, 1, 13), null, "Europe/Warsaw")));
    assertThat(policy.schedule().hours()).containsExactly(1, 13);
  }

  @Test
  void everyHoursMustBeBetweenOneAndTwentyFour() {
    assertThat(errorsOf(schedule(new ScheduleInput(null, 0, null))))
        .extracting(FieldError::field).containsExactly("schedule.everyHours");
    assertThat(errorsOf(schedule(new ScheduleInput(null, 25, null))))
        .extracting(FieldError::field).containsExactly("schedule.everyHours");
    assertThat(Policy.from(schedule(new ScheduleInput(null, 24, null))).schedule().everyHours()).isEqualTo(24);
  }

  @Test
  void hoursAndEveryHoursTogetherAreRejected() {
    assertThat(errorsOf(schedule(new ScheduleInput(List.of(1), 6, null))))
        .extracting(FieldError::field).containsExactly("schedule");
  }

  @Test
  void onlyIanaTimeZoneNamesAreAccepted() {
    for (String zone : List.of("Mars/Olympus", "+02:00", "CET+1", "")) {
      assertThat(errorsOf(schedule(new ScheduleInput(null, null, zone))))
          .extracting(FieldError::field).containsExactly("schedule.timeZone");
    }
    assertThat(Policy.from(schedule(new ScheduleInput(null, null, "Asia/Kolkata"))).zone().getId())
        .isEqualTo("Asia/Kolkata");
  }

  @Test
  void negativeRetentionIsRejectedForEveryRule() {
    assertThat(errorsOf(retention(new RetentionInput(-1, -1, -1, -1, -1))))
        .extracting(FieldError::field)
        .containsExactly("retention.keepLast", "retention.keepDaily", "retention.keepWeekly",
            "retention.keepMonthly", "retention.keepYearly");
  }

  @Test
  void retentionCanKeepNothingButTheNewest() {
    assertThat(Policy.from(retention(new RetentionInput(0, 0, 0, 0, 0))).retention())
        .isEqualTo(new Retention(0, 0, 0, 0, 0));
  }

  @Test
  void partialRetentionKeepsDefaultsForTheRest() {
    assertThat(Policy.from(retention(new RetentionInput(3, null, null, null, null))).retention())
        .isEqualTo(new Retention(3, 30, 12, 12, 3));
  }

  @Test
  void metadataFollowsTheProjectPatternsUnlessTurnedOff() {
    PatternsInput onlyTeams = new PatternsInput(List.of("Team*"), List.of("*"));
    PatternsInput notArchive = new PatternsInput(List.of("TeamArchive"), List.of());
    Policy policy = Policy.from(aPolicy().including(onlyTeams).excluding(notArchive).build());
    assertThat(policy.selectsMetadataOf("TeamA")).isTrue();
    assertThat(policy.selectsMetadataOf("teamarchive")).isFalse();
    assertThat(policy.selectsMetadataOf("Other")).isFalse();
    assertThat(Policy.from(aPolicy().includingMetadata(false).build())
        .selectsMetadataOf("TeamA")).isFalse();
  }

  @Test
  void concurrencyIsBounded() {
    assertThat(errorsOf(aPolicy().concurrency(0).build()))
        .extracting(FieldError::field).containsExactly("concurrency");
    assertThat(errorsOf(aPolicy().concurrency(33).build()))
        .extracting(FieldError::field).containsExactly("concurrency");
    assertThat(Policy.from(aPolicy().concurrency(32).build()).concurrency()).isEqualTo(32);
  }

  @Test
  void badPatternsAreRejectedByIndex() {
    PolicyInput input = aPolicy()
        .including(new PatternsInput(Arrays.asList("ok", " ", null), List.of("x".repeat(257))))
        .excluding(new PatternsInput(List.of("tab\there"), null))
        .build();
    assertThat(errorsOf(input)).extracting(FieldError::field).containsExactly(
        "include.projects[1]", "include.projects[2]", "include.repositories[0]", "exclude.projects[0]");
  }

  @Test
  void anEmptyIncludeListIsRejectedButAnEmptyExcludeIsFine() {
    assertThat(errorsOf(aPolicy().including(new PatternsInput(List.of(), null)).build()))
        .extracting(FieldError::field).containsExactly("include.projects");
    Policy policy = Policy.from(aPolicy().excluding(new PatternsInput(List.of(), List.of())).build());
    assertThat(policy.exclude()).isEqualTo(Patterns.NONE);
  }

  @Test
  void tooManyPatternsAreRejected() {
    List<String> many = new ArrayList<>(Collections.nCopies(101, "p*"));
    assertThat(errorsOf(aPolicy().excluding(new PatternsInput(many, null)).build()))
        .extracting(FieldError::field).containsExactly("exclude.projects");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    PolicyInput input = aPolicy().atHours("Nowhere", 99).retention(new RetentionInput(-5, null, null, null, null))
        .concurrency(0).build();
    assertThat(errorsOf(input)).extracting(FieldError::field)
        .containsExactlyInAnyOrder("schedule.timeZone", "schedule.hours[0]", "retention.keepLast", "concurrency");
  }

  @Test
  void fieldNamesCarryTheGivenPrefix() {
    Problems problems = new Problems();
    Policy.from(aPolicy().concurrency(0).build(), "policy.", problems);
    assertThatThrownBy(problems::throwIfAny).isInstanceOf(ValidationException.class)
        .hasMessageStartingWith("policy.concurrency");
  }

  @Test
  void patternsSelectProjectsAndRepositoriesCaseInsensitively() {
    Policy policy = Policy.from(aPolicy()
        .including(new PatternsInput(List.of("Team*"), List.of("*")))
        .excluding(new PatternsInput(List.of("TeamArchive"), List.of("*-old", "TeamB/secret?")))
        .includingWikis(false)
        .build());
    assertThat(policy.selects("teamA", "api", RepositoryKind.GIT)).isTrue();
    assertThat(policy.selects("Other", "api", RepositoryKind.GIT)).isFalse();
    assertThat(policy.selects("TEAMARCHIVE", "api", RepositoryKind.GIT)).isFalse();
    assertThat(policy.selects("TeamA", "web-OLD", RepositoryKind.GIT)).isFalse();
    assertThat(policy.selects("TeamB", "secret1", RepositoryKind.GIT)).isFalse();
    assertThat(policy.selects("TeamC", "secret1", RepositoryKind.GIT)).isTrue();
    assertThat(policy.selects("TeamA", "TeamA.wiki", RepositoryKind.WIKI)).isFalse();
  }

  @Test
  void patternCharactersOtherThanWildcardsAreLiteral() {
    assertThat(Patterns.glob("a.b(c)", "a.b(c)")).isTrue();
    assertThat(Patterns.glob("a.b", "axb")).isFalse();
    assertThat(Patterns.glob("r?po", "repo")).isTrue();
  }
}
