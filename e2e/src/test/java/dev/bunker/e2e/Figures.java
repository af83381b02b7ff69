package dev.bunker.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's measurements: each figure's samples over the runs and the baseline it is
 * compared with, printed as a table of medians, ranges and ratios of the medians.
 */
final class Figures {
  private final Map<String, List<Double>> samples = new LinkedHashMap<>();
  private final Map<String, String> baselines = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** Records one run's value of {@code figure} (seconds unless it says otherwise). */
  void add(String figure, double value) {
    samples.computeIfAbsent(figure, f -> new ArrayList<>()).add(value);
  }

  /** {@code figure} is read as a ratio to {@code baseline}'s median. */
  void compare(String figure, String baseline) {
    baselines.put(figure, baseline);
  }

  /** Text printed beside {@code figure} (e.g. the Azurite floor that bounds it). */
  void note(String figure, String text) {
    notes.put(figure, text);
  }

  double median(String figure) {
    List<Double> values = new ArrayList<>(samples.getOrDefault(figure, List.of()));
    if (values.isEmpty()) {
      return Double.NaN;
    }
    values.sort(null);
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  String table() {
    StringBuilder out = new StringBuilder(String.format("%-58s %9s %19s %7s  %s%n", "figure", "median",
        "range", "ratio", "note"));
    samples.forEach((figure, values) -> {
      double median = median(figure);
      String baseline = baselines.get(figure);
      String ratio = baseline == null ? "" : String.format("%.2fx", median / median(baseline));
      out.append(String.format("%-58s %9.3f %8.3f - %8.3f %7s  %s%n", figure, median,
          values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
          values.stream().mapToDouble(Double::doubleValue).max().orElse(0), ratio,
          notes.getOrDefault(figure, "")));
    });
    return out.toString();
  }
}
