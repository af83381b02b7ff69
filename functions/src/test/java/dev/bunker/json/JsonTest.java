package dev.bunker.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bunker.core.model.FieldError;
import dev.bunker.core.model.PolicyInput;
import dev.bunker.core.model.RestoreRequest;
import dev.bunker.core.model.RunStatus;
import dev.bunker.core.model.Trigger;
import dev.bunker.core.model.WorkItem;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {
  private static FieldError errorOf(String text, Class<?> type) {
    try {
      Json.read(text, type);
    } catch (InvalidJsonException e) {
      return new FieldError(e.field(), e.problem());
    }
    throw new AssertionError("accepted: " + text);
  }

  @Test
  void enumsAreCamelCaseBothWays() {
    assertThat(Json.write(List.of(RunStatus.PARTIALLY_SUCCEEDED, RunStatus.QUEUED)))
        .isEqualTo("[\"partiallySucceeded\",\"queued\"]");
    assertThat(Json.read("{\"organizationId\":\"o\",\"runId\":\"r\",\"trigger\":\"manual\"}", WorkItem.Discover.class)
        .trigger().name()).isEqualTo("MANUAL");
  }

  @Test
  void aQueueMessageMayCarryAFieldALaterVersionAddedAndKeepsEveryOtherRule() {
    String later = "{\"organizationId\":\"o\",\"runId\":\"r\",\"repositoryId\":\"x\",\"claim\":{\"etag\":\"1\"}}";
    assertThat(Json.readMessage(later, WorkItem.BackupRepository.class))
        .isEqualTo(new WorkItem.BackupRepository("o", "r", "x"));
    assertThat(errorOf(later, WorkItem.BackupRepository.class))
        .as("a request body stays strict").isEqualTo(new FieldError("claim", "is not a known field"));
    assertThatThrownBy(() -> Json.readMessage("{\"organizationId\":\"o\",\"runId\":\"r\",\"trigger\":7}",
        WorkItem.Discover.class)).isInstanceOf(InvalidJsonException.class);
    for (String bad : List.of("{\"organizationId\":7,\"runId\":\"r\",\"repositoryId\":\"x\"}",
        "{\"organizationId\":\"o\",\"organizationId\":\"p\",\"runId\":\"r\",\"repositoryId\":\"x\"}",
        "{\"organizationId\":\"o\",\"runId\":\"r\",\"repositoryId\":\"x\"} {}")) {
      assertThatThrownBy(() -> Json.readMessage(bad, WorkItem.BackupRepository.class)).as(bad)
          .isInstanceOf(InvalidJsonException.class);
    }
  }

  @Test
  void anUnknownEnumValueListsTheKnownOnes() {
    FieldError error =
        errorOf("{\"organizationId\":\"o\",\"runId\":\"r\",\"trigger\":\"MANUAL\"}", WorkItem.Discover.class);
    assertThat(error.field()).isEqualTo("trigger");
    assertThat(error.message()).isEqualTo("must be one of \"schedule\", \"manual\"");
  }

  @Test
  void duplicateKeysAndTrailingDataAreRejected() {
    assertThat(errorOf("{\"concurrency\":1,\"concurrency\":2}", PolicyInput.class).field()).isEqualTo("body");
    assertThat(errorOf("{\"concurrency\":1} x", PolicyInput.class).field()).isEqualTo("body");
  }

  @Test
  void scalarsAreNotCoerced() {
    assertThat(errorOf("{\"concurrency\":\"4\"}", PolicyInput.class))
        .isEqualTo(new FieldError("concurrency", "must be a whole number"));
    assertThat(errorOf("{\"concurrency\":4.0}", PolicyInput.class).field()).isEqualTo("concurrency");
    assertThat(errorOf("{\"includeWikis\":1}", PolicyInput.class))
        .isEqualTo(new FieldError("includeWikis", "must be true or false"));
    assertThat(errorOf("{\"repositoryId\":7}", RestoreRequest.class))
        .isEqualTo(new FieldError("repositoryId", "must be a string"));
    assertThat(errorOf("{\"include\":{\"projects\":\"*\"}}", PolicyInput.class))
        .isEqualTo(new FieldError("include.projects", "must be an array"));
  }

  @Test
  void nestedUnknownFieldsAreNamedWithTheirPath() {
    assertThat(errorOf("{\"retention\":{\"keepHourly\":1}}", PolicyInput.class))
        .isEqualTo(new FieldError("retention.keepHourly", "is not a known field"));
  }

  @Test
  void nullsAreLeftOutOfOutput() {
    assertThat(Json.write(new WorkItem.Discover("o", "r", Trigger.MANUAL, null)))
        .isEqualTo("{\"organizationId\":\"o\",\"runId\":\"r\",\"trigger\":\"manual\"}");
  }

  @Test
  void storedTextThatIsNotWhatBunkerWroteIsDamageNamingWhereNotABadRequest() {
    assertThatThrownBy(() -> Json.readStored("{\"concurrency\":", PolicyInput.class, "blob orgs/o1/policy"))
        .isInstanceOf(DamagedJsonException.class).hasMessageStartingWith("blob orgs/o1/policy is not valid JSON");
  }

  @Test
  void anEmptyBodyIsRequired() {
    assertThatThrownBy(() -> Json.read(" ", PolicyInput.class)).isInstanceOf(InvalidJsonException.class)
        .hasMessage("body: is required (a JSON object)");
  }
}
