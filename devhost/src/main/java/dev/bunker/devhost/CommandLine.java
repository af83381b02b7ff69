package dev.bunker.devhost;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches, shared by the launcher and the host. */
final class CommandLine {
  private static final Set<String> FLAGS = Set.of("exit-with-parent");
  /** Passed on to the host process as given (the launcher resolves --app and --port itself). */
  private static final Set<String> HOST_OPTIONS = Set.of("max-concurrency", "shutdown-grace", "queue-lease");

  private final Map<String, String> values;
  private final Set<String> flags;

  private CommandLine(Map<String, String> values, Set<String> flags) {
    this.values = values;
    this.flags = flags;
  }

  static CommandLine parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    Set<String> flags = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (FLAGS.contains(name)) {
        flags.add(name);
      } else if (i + 1 < args.length) {
        values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
    }
    return new CommandLine(values, flags);
  }

  String value(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  FunctionHost.Options hostOptions() {
    FunctionHost.Options defaults = FunctionHost.Options.defaults(Path.of(value("app", DevHost.DEFAULT_APP)));
    return new FunctionHost.Options(
        defaults.appDir().toAbsolutePath().normalize(),
        integer("port", defaults.port()),
        integer("max-concurrency", defaults.maxConcurrency()),
        duration("shutdown-grace", defaults.shutdownGrace()),
        duration("queue-lease", defaults.queueLease()));
  }

  /** The host's own options, to pass on to the child process. */
  List<String> hostArguments() {
    List<String> args = new ArrayList<>();
    values.forEach((name, value) -> {
      if (HOST_OPTIONS.contains(name)) {
        args.add("--" + name);
        args.add(value);
      }
    });
    return args;
  }

  int integer(String name, int fallback) {
    String text = values.get(name);
    try {
      return text == null ? fallback : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, was '" + text + "'");
    }
  }

  private Duration duration(String name, Duration fallback) {
    String text = values.get(name);
    try {
      return text == null ? fallback : Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--" + name + " must be an ISO-8601 duration such as PT30S, was '" + text + "'");
    }
  }
}
