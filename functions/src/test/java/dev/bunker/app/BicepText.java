package dev.bunker.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of a Bicep reader for checks that a compiler would otherwise make: declarations,
 * balanced blocks and object keys. No Bicep compiler runs on our machines, so the infra tests
 * read the text; strings (with their {@code ${...}} interpolations) and comments are skipped
 * when matching braces.
 */
final class BicepText {
  private static final Pattern PARAM = Pattern.compile("(?m)^param\\s+(\\w+)\\s+(\\w+)(\\s*=)?");
  private static final Pattern OUTPUT = Pattern.compile("(?m)^output\\s+(\\w+)\\s+\\w+\\s*=\\s*(.+)$");
  private static final Pattern RESOURCE =
      Pattern.compile("(?m)^\\s*resource\\s+(\\w+)\\s+'([^'@]+)@([^']+)'\\s*(existing\\s*)?=");
  private static final Pattern MODULE = Pattern.compile("(?m)^module\\s+(\\w+)\\s+'([^']+)'\\s*=");
  private static final Pattern KEY = Pattern.compile("(?m)^\\s*'?([A-Za-z_][A-Za-z0-9_-]*)'?\\s*:\\s*\\S");
  private static final Pattern TOP_LEVEL =
      Pattern.compile("(?m)^(?:@|param |var |resource |module |output |targetScope|type |func )");

  final Path path;
  final String text;
  /** The text with comments blanked out (same length, so offsets agree with {@link #text}). */
  final String code;

  private BicepText(Path path, String text) {
    this.path = path;
    this.text = text;
    this.code = withoutComments(text);
  }

  static BicepText read(Path path) {
    try {
      return new BicepText(path, Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Param(String name, String type, boolean hasDefault, String decorators) {}

  record Resource(String symbol, String type, String apiVersion, boolean existing, String body) {}

  record Module(String symbol, String path, String body) {
    /** Keys of the {@code params: { ... }} object. */
    Set<String> paramNames() {
      int at = body.indexOf("params:");
      return at < 0 ? Set.of() : keysAtTopOf(balanced(body, body.indexOf('{', at)));
    }
  }

  Map<String, Param> params() {
    Map<String, Param> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(code);
    while (m.find()) {
      params.put(m.group(1),
          new Param(m.group(1), m.group(2), m.group(3) != null, decoratorsBefore(m.start())));
    }
    return params;
  }

  Map<String, String> outputs() {
    Map<String, String> outputs = new LinkedHashMap<>();
    Matcher m = OUTPUT.matcher(code);
    while (m.find()) {
      outputs.put(m.group(1), m.group(2).trim());
    }
    return outputs;
  }

  List<Resource> resources() {
    List<Resource> resources = new ArrayList<>();
    Matcher m = RESOURCE.matcher(code);
    while (m.find()) {
      resources.add(new Resource(m.group(1), m.group(2), m.group(3), m.group(4) != null,
          balanced(text, code.indexOf('{', m.end()))));
    }
    return resources;
  }

  List<Resource> resources(String type) {
    return resources().stream().filter(r -> r.type().equalsIgnoreCase(type)).toList();
  }

  List<Module> modules() {
    List<Module> modules = new ArrayList<>();
    Matcher m = MODULE.matcher(code);
    while (m.find()) {
      modules.add(new Module(m.group(1), m.group(2), balanced(text, code.indexOf('{', m.end()))));
    }
    return modules;
  }

  /** The expression of top-level {@code var name = ...}, up to the next declaration. */
  String variable(String name) {
    Matcher m = Pattern.compile("(?m)^var\\s+" + Pattern.quote(name) + "\\s*=").matcher(code);
    if (!m.find()) {
      throw new AssertionError(path + " declares no var " + name);
    }
    Matcher next = TOP_LEVEL.matcher(code);
    int end = next.find(m.end()) ? next.start() : code.length();
    return code.substring(m.end(), end);
  }

  /** Object keys found at the start of lines of {@code expression} (flat objects, unions). */
  static Set<String> keysIn(String expression) {
    Set<String> keys = new LinkedHashSet<>();
    Matcher m = KEY.matcher(expression);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  /** Keys of the outermost object of {@code block} ({@code { ... }}), not of nested ones. */
  static Set<String> keysAtTopOf(String block) {
    Set<String> keys = new LinkedHashSet<>();
    int depth = 0;
    int lineStart = 0;
    for (int i = 0; i < block.length(); i++) {
      char c = block.charAt(i);
      if (c == '\'') {
        i = endOfString(block, i);
      } else if (c == '/' && i + 1 < block.length() && block.charAt(i + 1) == '/') {
        i = lineEnd(block, i) - 1;
      } else if (c == '{' || c == '[' || c == '(') {
        depth++;
      } else if (c == '}' || c == ']' || c == ')') {
        depth--;
      } else if (c == '\n') {
        lineStart = i + 1;
        if (depth == 1) {
          Matcher m = KEY.matcher(block.substring(lineStart, lineEnd(block, lineStart)));
          if (m.lookingAt()) {
            keys.add(m.group(1));
          }
        }
      }
    }
    return keys;
  }

  /** From the bracket at {@code open} to its matching bracket, inclusive. */
  static String balanced(String s, int open) {
    if (open < 0) {
      throw new IllegalArgumentException("no block");
    }
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        i = endOfString(s, i);
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        i = lineEnd(s, i) - 1;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return s.substring(open, i + 1);
        }
      }
    }
    throw new IllegalArgumentException("unbalanced block at " + open);
  }

  private String decoratorsBefore(int declaration) {
    int start = declaration;
    while (start > 0) {
      int previousLineStart = code.lastIndexOf('\n', start - 2) + 1;
      String line = code.substring(previousLineStart, start).trim();
      if (line.startsWith("@") || line.startsWith("'") || line.equals("])") || line.matches("\\d+")) {
        start = previousLineStart;
      } else {
        break;
      }
    }
    return code.substring(start, declaration);
  }

  private static int lineEnd(String s, int from) {
    int end = s.indexOf('\n', from);
    return end < 0 ? s.length() : end;
  }

  /** Index of the quote closing the string that opens at {@code open}. */
  private static int endOfString(String s, int open) {
    if (s.startsWith("'''", open)) {
      int end = s.indexOf("'''", open + 3);
      return end < 0 ? s.length() - 1 : end + 2;
    }
    for (int i = open + 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '\'') {
        return i;
      } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        i = endOfInterpolation(s, i + 1);
      }
    }
    return s.length() - 1;
  }

  private static int endOfInterpolation(String s, int brace) {
    int depth = 0;
    for (int i = brace; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        i = endOfString(s, i);
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return s.length() - 1;
  }

  private static String withoutComments(String s) {
    StringBuilder out = new StringBuilder(s);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        i = endOfString(s, i);
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
        int end = lineEnd(s, i);
        for (int j = i; j < end; j++) {
          out.setCharAt(j, ' ');
        }
        i = end;
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
        for (int j = i; j < end; j++) {
          if (s.charAt(j) != '\n') {
            out.setCharAt(j, ' ');
          }
        }
        i = end - 1;
      }
    }
    return out.toString();
  }
}
