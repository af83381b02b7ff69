package dev.bunker.sandbox;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An {@code api-version} value such as {@code 7.1}, {@code 7.1-preview} or {@code 7.1-preview.4}. */
record ApiVersion(int major, int minor, boolean preview) implements Comparable<ApiVersion> {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\.(\\d+)(-preview(\\.\\d+)?)?");

  static ApiVersion parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an api-version: " + text);
    }
    return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) != null);
  }

  @Override
  public int compareTo(ApiVersion other) {
    return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
