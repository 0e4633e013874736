package io.kworker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the figures of a plain measurement program and writes them in the shape of JMH's JSON
 * result file ({@code -rf json}), so that {@link Chart} reads both alike. Each figure is the median over
 * rounds; the per-round values go to {@code rawData}, and p50/p99 (when the figure has them) to
 * {@code scorePercentiles}.
 */
final class Results {
  private record Entry(String benchmark, String unit, double[] rounds, Map<String, Double> percentiles,
      Map<String, String> params) {}

  private final List<Entry> entries = new ArrayList<>();

  void add(String benchmark, String unit, double[] rounds) {
    add(benchmark, unit, rounds, Map.of(), Map.of());
  }

  void add(String benchmark, String unit, double[] rounds, Map<String, Double> percentiles,
      Map<String, String> params) {
    entries.add(new Entry(benchmark, unit, rounds.clone(), percentiles, params));
    System.out.printf(Locale.ROOT, "%-60s %14.3f %-8s rounds=%s %s%n", benchmark, Bench.median(rounds),
        unit, fmt(rounds), percentiles.isEmpty() ? "" : percentiles);
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[i]));
    }
    return b.append(']').toString();
  }

  void write(Path file) throws IOException {
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      b.append("  {\n    \"benchmark\" : \"").append(e.benchmark()).append("\",\n");
      b.append("    \"mode\" : \"ss\",\n    \"forks\" : 1,\n");
      b.append("    \"measurementIterations\" : ").append(e.rounds().length).append(",\n");
      if (!e.params().isEmpty()) {
        b.append("    \"params\" : {");
        int j = 0;
        for (Map.Entry<String, String> p : e.params().entrySet()) {
          b.append(j++ == 0 ? "" : ", ").append('"').append(p.getKey()).append("\" : \"")
              .append(p.getValue()).append('"');
        }
        b.append("},\n");
      }
      b.append("    \"primaryMetric\" : {\n");
      b.append("      \"score\" : ").append(num(Bench.median(e.rounds()))).append(",\n");
      b.append("      \"scoreUnit\" : \"").append(e.unit()).append("\",\n");
      Map<String, Double> pct = new LinkedHashMap<>(e.percentiles());
      if (!pct.isEmpty()) {
        b.append("      \"scorePercentiles\" : {");
        int j = 0;
        for (Map.Entry<String, Double> p : pct.entrySet()) {
          b.append(j++ == 0 ? "" : ", ").append('"').append(p.getKey()).append("\" : ")
              .append(num(p.getValue()));
        }
        b.append("},\n");
      }
      b.append("      \"rawData\" : [[");
      for (int j = 0; j < e.rounds().length; j++) {
        b.append(j == 0 ? "" : ", ").append(num(e.rounds()[j]));
      }
      b.append("]]\n    }\n  }").append(i + 1 < entries.size() ? "," : "").append('\n');
    }
    b.append("]\n");
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    // whole or not at all: a run stopped while writing leaves the previous file as it was
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, b);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("wrote " + file);
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "\"NaN\"";
  }
}
