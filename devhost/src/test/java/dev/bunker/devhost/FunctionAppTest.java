package dev.bunker.devhost;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionAppTest {
  @TempDir
  Path app;

  private void function(String name, String json) throws IOException {
    Files.createDirectories(app.resolve(name));
    Files.writeString(app.resolve(name).resolve("function.json"), json);
  }

  @Test
  void refusesBindingTypesItCannotServeNamingFunctionAndBinding() throws IOException {
    function("archive", """
        {"scriptFile": "../app.jar", "entryPoint": "x.Archive.run", "bindings": [
          {"type": "blobTrigger", "direction": "in", "name": "blob", "path": "in/{name}"}]}
        """);
    function("report", """
        {"scriptFile": "../app.jar", "entryPoint": "x.Report.run", "bindings": [
          {"type": "queueTrigger", "direction": "in", "name": "m", "queueName": "q"},
          {"type": "table", "direction": "out", "name": "row", "tableName": "t"}]}
        """);

    assertThatThrownBy(() -> FunctionApp.load(app, Map.of()))
        .isInstanceOf(HostConfigurationException.class)
        .hasMessageContaining("Function 'archive'")
        .hasMessageContaining("'blobTrigger'")
        .hasMessageContaining("Function 'report'")
        .hasMessageContaining("binding 'row' of type 'table'");
  }

  @Test
  void refusesRetryPolicies() throws IOException {
    function("flaky", """
        {"scriptFile": "../app.jar", "entryPoint": "x.Flaky.run", "retry": {"strategy": "fixedDelay"}, "bindings": [
          {"type": "timerTrigger", "direction": "in", "name": "timer", "schedule": "0 * * * * *"}]}
        """);

    assertThatThrownBy(() -> FunctionApp.load(app, Map.of())).hasMessageContaining("retry policies");
  }

  @Test
  void refusesAMissingJar() throws IOException {
    function("health",
        """
            {"scriptFile": "../missing.jar", "entryPoint": "x.Health.run", "bindings": [
              {"type": "httpTrigger", "direction": "in", "name": "req"}, {"type": "http", "direction": "out", "name": "$return"}]}
            """);

    assertThatThrownBy(() -> FunctionApp.load(app, Map.of())).hasMessageContaining("missing.jar does not exist");
  }

  @Test
  void refusesAnEmptyDirectory() {
    assertThatThrownBy(() -> FunctionApp.load(app, Map.of())).hasMessageContaining("No function.json found");
  }
}
