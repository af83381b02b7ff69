package dev.bunker.devhost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ASP.NET-style route template as function.json writes it: literal segments (case-insensitive),
 * {@code {name}}, {@code {name:constraint}}, optional {@code {name?}} at the end and catch-all
 * {@code {*rest}}. Constraints: int, long, bool, guid, alpha, double, min(n), max(n), length(n),
 * minlength(n), maxlength(n). Anything else is refused when the app is loaded.
 */
final class RouteTemplate {
  private static final Pattern PARAMETER = Pattern.compile("\\{(\\*?)([A-Za-z_][A-Za-z0-9_]*)((?::[^:{}?]+)*)(\\?)?}");
  private static final Pattern CONSTRAINT = Pattern.compile("([a-z]+)(?:\\((-?\\d+)\\))?");

  private record Segment(String literal, String name, Predicate<String> constraint, boolean constrained,
      boolean optional, boolean catchAll) {
    /** Lower ranks win when several templates match: literals before parameters, catch-all last. */
    int rank() {
      return literal != null ? 0 : catchAll ? 4 : optional ? 3 : constrained ? 1 : 2;
    }
  }

  private final String text;
  private final List<Segment> segments;

  private RouteTemplate(String text, List<Segment> segments) {
    this.text = text;
    this.segments = segments;
  }

  static RouteTemplate parse(String template) {
    String trimmed = template.replaceAll("^/+|/+$", "");
    List<Segment> segments = new ArrayList<>();
    String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      boolean last = i == parts.length - 1;
      if (part.indexOf('{') < 0 && part.indexOf('}') < 0) {
        if (part.isEmpty()) {
          throw new HostConfigurationException("route '" + template + "' has an empty segment");
        }
        segments.add(new Segment(part, null, value -> true, false, false, false));
        continue;
      }
      Matcher m = PARAMETER.matcher(part);
      if (!m.matches()) {
        throw new HostConfigurationException("route '" + template + "': segment '" + part
            + "' is not supported by devhost (one {parameter} per whole segment, no default values)");
      }
      boolean catchAll = !m.group(1).isEmpty();
      boolean optional = m.group(4) != null;
      if ((catchAll || optional) && !last) {
        throw new HostConfigurationException(
            "route '" + template + "': only the last segment may be optional or catch-all");
      }
      Predicate<String> constraint = value -> true;
      String constraints = m.group(3);
      if (!constraints.isEmpty()) {
        for (String name : constraints.substring(1).split(":")) {
          constraint = constraint.and(constraint(name, template));
        }
      }
      segments.add(new Segment(null, m.group(2), constraint, !constraints.isEmpty(), optional, catchAll));
    }
    return new RouteTemplate(trimmed, List.copyOf(segments));
  }

  private static Predicate<String> constraint(String text, String template) {
    Matcher m = CONSTRAINT.matcher(text);
    if (!m.matches()) {
      throw new HostConfigurationException(
          "route '" + template + "': constraint '" + text + "' is not supported by devhost");
    }
    String name = m.group(1);
    Long argument = m.group(2) == null ? null : Long.parseLong(m.group(2));
    Predicate<String> predicate = switch (name) {
      case "int" -> v -> parses(() -> Integer.parseInt(v));
      case "long" -> v -> parses(() -> Long.parseLong(v));
      case "double" -> v -> parses(() -> Double.parseDouble(v));
      case "bool" -> v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false");
      case "guid" -> v -> parses(() -> UUID.fromString(v));
      case "alpha" -> v -> v.chars().allMatch(Character::isLetter) && !v.isEmpty();
      case "min" -> v -> parses(() -> Long.parseLong(v)) && Long.parseLong(v) >= required(argument, text, template);
      case "max" -> v -> parses(() -> Long.parseLong(v)) && Long.parseLong(v) <= required(argument, text, template);
      case "length" -> v -> v.length() == required(argument, text, template);
      case "minlength" -> v -> v.length() >= required(argument, text, template);
      case "maxlength" -> v -> v.length() <= required(argument, text, template);
      default -> throw new HostConfigurationException("route '" + template + "': constraint '" + text
          + "' is not supported by devhost");
    };
    if (Set.of("min", "max", "length", "minlength", "maxlength").contains(name)) {
      required(argument, text, template);
    }
    return predicate;
  }

  private static long required(Long argument, String constraint, String template) {
    if (argument == null) {
      throw new HostConfigurationException("route '" + template + "': constraint '" + constraint + "' needs a number");
    }
    return argument;
  }

  private static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Route values when {@code path} (decoded segments after the route prefix) matches. */
  Optional<Map<String, String>> match(List<String> path) {
    Map<String, String> values = new HashMap<>();
    int i = 0;
    for (Segment segment : segments) {
      if (segment.catchAll()) {
        values.put(segment.name(), String.join("/", path.subList(Math.min(i, path.size()), path.size())));
        return Optional.of(values);
      }
      if (i >= path.size()) {
        return segment.optional() ? Optional.of(values) : Optional.empty();
      }
      String value = path.get(i++);
      if (segment.literal() != null) {
        if (!segment.literal().equalsIgnoreCase(value)) {
          return Optional.empty();
        }
      } else {
        if (!segment.constraint().test(value)) {
          return Optional.empty();
        }
        values.put(segment.name(), value);
      }
    }
    return i == path.size() ? Optional.of(values) : Optional.empty();
  }

  /** Orders templates so that the more specific one wins when two match the same path. */
  int compareSpecificity(RouteTemplate other) {
    for (int i = 0; i < Math.min(segments.size(), other.segments.size()); i++) {
      int c = Integer.compare(segments.get(i).rank(), other.segments.get(i).rank());
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(other.segments.size(), segments.size());
  }

  /** The template without parameter names: two routes of the same shape match the same paths. */
  String shape() {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\{(\\*?)[a-z0-9_]+", "{$1");
  }

  @Override
  public String toString() {
    return text;
  }
}
