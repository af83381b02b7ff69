package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTemplateTest {
  private static List<String> path(String path) {
    return List.of(path.split("/"));
  }

  @Test
  void matchesParametersAndLiteralsIgnoringLiteralCase() {
    RouteTemplate template = RouteTemplate.parse("organizations/{id}/backups/{runId}");

    assertThat(template.match(path("Organizations/o1/backups/r9"))).hasValue(Map.of("id", "o1", "runId", "r9"));
    assertThat(template.match(path("organizations/o1/backups"))).isEmpty();
    assertThat(template.match(path("organizations/o1/backups/r9/extra"))).isEmpty();
  }

  @Test
  void appliesConstraints() {
    RouteTemplate template = RouteTemplate.parse("bytes/{count:int:min(1)}");

    assertThat(template.match(path("bytes/10"))).hasValue(Map.of("count", "10"));
    assertThat(template.match(path("bytes/0"))).isEmpty();
    assertThat(template.match(path("bytes/ten"))).isEmpty();
    assertThat(RouteTemplate.parse("x/{id:guid}").match(path("x/3f2504e0-4f89-11d3-9a0c-0305e82c3301"))).isPresent();
    assertThat(RouteTemplate.parse("x/{flag:bool}").match(path("x/maybe"))).isEmpty();
  }

  @Test
  void supportsOptionalAndCatchAllLastSegments() {
    assertThat(RouteTemplate.parse("files/{name?}").match(path("files"))).hasValue(Map.of());
    assertThat(RouteTemplate.parse("files/{*rest}").match(path("files/a/b/c"))).hasValue(Map.of("rest", "a/b/c"));
  }

  @Test
  void prefersLiteralSegmentsOverParameters() {
    List<RouteTemplate> templates = new ArrayList<>(List.of(
        RouteTemplate.parse("organizations/{id}"), RouteTemplate.parse("organizations/{*rest}"),
        RouteTemplate.parse("organizations/{id:int}"), RouteTemplate.parse("organizations/new")));
    templates.sort(RouteTemplate::compareSpecificity);

    assertThat(templates).map(RouteTemplate::toString).containsExactly(
        "organizations/new", "organizations/{id:int}", "organizations/{id}", "organizations/{*rest}");
  }

  @Test
  void templatesDifferingOnlyInParameterNamesHaveTheSameShape() {
    assertThat(RouteTemplate.parse("orgs/{id:int}/runs").shape())
        .isEqualTo(RouteTemplate.parse("Orgs/{orgId:int}/runs").shape());
    assertThat(RouteTemplate.parse("orgs/{id}").shape()).isNotEqualTo(RouteTemplate.parse("orgs/{id:int}").shape());
  }

  @Test
  void refusesWhatItCannotServe() {
    assertThatThrownBy(() -> RouteTemplate.parse("x/{id:regex(^a$)}")).isInstanceOf(HostConfigurationException.class)
        .hasMessageContaining("not supported");
    assertThatThrownBy(() -> RouteTemplate.parse("file.{ext}")).isInstanceOf(HostConfigurationException.class);
    assertThatThrownBy(() -> RouteTemplate.parse("{*rest}/x")).isInstanceOf(HostConfigurationException.class)
        .hasMessageContaining("last segment");
  }
}
