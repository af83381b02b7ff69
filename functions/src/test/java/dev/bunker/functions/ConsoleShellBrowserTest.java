package dev.bunker.functions;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The console in real headless Chromium against {@link ConsoleStandInServer}: the shell loads
 * under its Content-Security-Policy, and the parts that need no API work (the blocked sign-in
 * popup, the sign-in result message and its origin check, required fields). The flows through
 * the API run end to end against devhost elsewhere.
 */
class ConsoleShellBrowserTest {
  @Test
  void consoleShellWorksInChromium() throws Exception {
    try (ConsoleStandInServer server = ConsoleStandInServer.start()) {
      BrowserScripts.run("console-shell.mjs", server.env(), Duration.ofMinutes(3));
    }
  }
}
